import type { Logger } from '../logging';
import { probe } from './probe';
import type { UpstreamHealth } from './upstream-health';

/**
 * Active health checks of one upstream in this DP process: every
 * `active.healthy.interval` seconds the healthy targets are probed, every
 * `active.unhealthy.interval` seconds the unhealthy ones (0: not probed),
 * at most `active.concurrency` probes at a time; each outcome is counted
 * with the active limits (upstream-health.ts). A round still running when
 * the next is due is not doubled: the next one is skipped. Targets of
 * weight 0 are not probed (they take no traffic).
 */
export class ActiveChecker {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = { healthy: false, unhealthy: false };
  private stopped = false;

  constructor(
    private readonly health: UpstreamHealth,
    private readonly log: Logger,
  ) {}

  start(): void {
    const { healthy, unhealthy } = this.health.config.active;
    if (healthy.interval > 0) this.every(healthy.interval, true);
    if (unhealthy.interval > 0) this.every(unhealthy.interval, false);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  /** Read after each await: `stop` may have come meanwhile. */
  private alive(): boolean {
    return !this.stopped;
  }

  private every(seconds: number, healthy: boolean): void {
    const timer = setInterval(() => void this.round(healthy), seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }

  /** Probes every target currently on the `healthy` side (or the other), `concurrency` at a time. */
  private async round(healthy: boolean): Promise<void> {
    const side = healthy ? 'healthy' : 'unhealthy';
    if (this.busy[side] || this.stopped) return;
    this.busy[side] = true;
    try {
      const { entries, config } = this.health;
      const queue = entries.map((_, i) => i).filter((i) => (entries[i]?.weight ?? 0) > 0 && this.health.isHealthy(i) === healthy);
      const worker = async (): Promise<void> => {
        for (let i = queue.shift(); i !== undefined && this.alive(); i = queue.shift()) {
          const entry = entries[i];
          if (entry === undefined) continue;
          const event = await probe(entry, config.active, this.health.hostHeader);
          if (event !== null && this.alive() && this.health.entries === entries) this.health.report(i, event, 'active');
        }
      };
      await Promise.all(Array.from({ length: Math.min(config.active.concurrency, queue.length) }, worker));
    } catch (err) {
      this.log.warn({ event: 'healthcheck_failed', upstream: this.health.upstreamName, err: err instanceof Error ? err.message : String(err) });
    } finally {
      this.busy[side] = false;
    }
  }
}
