import type { UpstreamHealthReport } from '@gatehouse/protocol';
import type { UpstreamBalancer } from '../balancer/upstream-balancer';
import type { Engine } from '../engine/engine';
import type { Logger } from '../logging';
import { ActiveChecker } from './active-checker';
import type { TargetFailure, UpstreamHealth } from './upstream-health';

interface Watched {
  readonly checker: ActiveChecker;
  readonly unsubscribe: () => void;
}

/**
 * The health checks of a DP process that proxies (the single process, or
 * each worker with GATEHOUSE_WORKERS > 1): an active checker per upstream of
 * the serving config, replaced when its balancer is rebuilt and stopped when
 * it leaves; the manual overrides; and the health picture reported to the
 * CP, with a notice to `onChange` listeners whenever it may have changed (a
 * target flipped, or a config swap).
 */
export class HealthCheckers {
  private readonly watched = new Map<UpstreamHealth, Watched>();
  private balancers: ReadonlyMap<string, UpstreamBalancer> = new Map();
  private readonly listeners = new Set<() => void>();

  constructor(
    engine: Engine,
    private readonly log: Logger,
  ) {
    engine.onSwap((next) => this.sync(next.balancers));
    if (engine.compiled) this.sync(engine.compiled.balancers);
  }

  /** Calls `fn` when the health picture may have changed. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Kong's manual override of one target's health, by upstream id (or name) and target address; false if no such target is served. */
  override(upstream: string, target: string, healthy: boolean): boolean {
    const b = [...this.balancers.values()].find((x) => x.upstream.id === upstream || x.upstream.name.toLowerCase() === upstream.toLowerCase());
    return b?.health.set(target, healthy) ?? false;
  }

  /** Every upstream's targets and their health in this process. */
  report(): UpstreamHealthReport[] {
    return [...this.balancers.values()].map((b) => ({ id: b.upstream.id, name: b.upstream.name, targets: b.targetHealth() }));
  }

  stop(): void {
    for (const b of this.balancers.values()) b.stopDns();
    for (const w of this.watched.values()) {
      w.checker.stop();
      w.unsubscribe();
    }
    this.watched.clear();
  }

  private sync(balancers: ReadonlyMap<string, UpstreamBalancer>): void {
    // Hostname targets are resolved (and followed) only while their balancer serves (balancer/dns-targets.ts).
    const kept = new Set(balancers.values());
    for (const b of this.balancers.values()) if (!kept.has(b)) b.stopDns();
    for (const b of balancers.values()) b.watchDns();
    this.balancers = balancers;
    const live = new Set([...balancers.values()].map((b) => b.health));
    for (const [health, w] of this.watched) {
      if (live.has(health)) continue;
      w.checker.stop();
      w.unsubscribe();
      this.watched.delete(health);
    }
    for (const health of live) {
      if (this.watched.has(health)) continue;
      const checker = new ActiveChecker(health, this.log);
      checker.start();
      const offChange = health.onChange(() => this.changed(health));
      const offFailure = health.onFailure((f) => this.failed(health, f));
      this.watched.set(health, {
        checker,
        unsubscribe: () => {
          offChange();
          offFailure();
        },
      });
    }
    this.notify();
  }

  private changed(health: UpstreamHealth): void {
    const down = health.entries.filter((_, i) => !health.isHealthy(i)).map((e) => e.target);
    this.log.info({ event: 'upstream_health_changed', upstream: health.upstreamName, unhealthy: down, available: health.available() });
    this.notify();
  }

  /**
   * One line per failed connection of a proxied try (nginx's "connect()
   * failed … while connecting to upstream", which Kong logs), and per failure
   * that added to a counter (lua-resty-healthcheck's "unhealthy … increment").
   * A failure after the target was ejected is still logged when it was a
   * proxied try: the bench (scripts/bench/failover.js) reads these lines.
   */
  private failed(health: UpstreamHealth, f: TargetFailure): void {
    if (!f.counted && (f.source !== 'passive' || f.event === 'http_failure')) return;
    const { entry } = f;
    const host = entry.host.includes(':') ? `[${entry.host}]` : entry.host;
    this.log.warn({
      event: 'upstream_target_failure',
      upstream: health.upstreamName,
      target: entry.target,
      address: `${host}:${entry.port}`,
      failure: f.event,
      source: f.source,
      counted: f.counted,
    });
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
