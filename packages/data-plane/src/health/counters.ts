/** What one probe or one proxied try tells about a target (lua-resty-healthcheck's four counters). */
export type HealthEvent = 'success' | 'http_failure' | 'tcp_failure' | 'timeout';

/** How many events of each kind flip a target; 0 turns that counter off. */
export interface HealthLimits {
  readonly successes: number;
  readonly http_failures: number;
  readonly tcp_failures: number;
  readonly timeouts: number;
}

/**
 * The counting state besides the public health: `healthy` and `unhealthy`
 * are settled (events that only confirm them are not counted);
 * `mostly_healthy` and `mostly_unhealthy` mean successes, or failures, have
 * started adding up (lua-resty-healthcheck's internal health).
 */
export type InternalHealth = 'healthy' | 'mostly_healthy' | 'mostly_unhealthy' | 'unhealthy';

const LIMIT_OF: Record<HealthEvent, keyof HealthLimits> = {
  success: 'successes',
  http_failure: 'http_failures',
  tcp_failure: 'tcp_failures',
  timeout: 'timeouts',
};

/**
 * One target's health counters, as lua-resty-healthcheck keeps them (Kong's
 * health checker): each event adds one to its counter, unless its limit is
 * 0 (that counter is off) or it only confirms a settled state (a success on
 * a healthy target, a failure on an unhealthy one). A counter reaching its
 * limit flips the target, and every counter starts again from 0. Nothing
 * else resets them: with `successes` 0 a healthy target's failures add up
 * until it is ejected, and an unhealthy one stays so until a manual
 * override (`set`). Active probes and live traffic share the counters, each
 * with its own limits.
 */
export class TargetHealthState {
  private isHealthy = true;
  private internal: InternalHealth = 'healthy';
  private readonly counts: Record<HealthEvent, number> = { success: 0, http_failure: 0, tcp_failure: 0, timeout: 0 };

  /** The public health: what the balancer and the health report go by. */
  get healthy(): boolean {
    return this.isHealthy;
  }

  get state(): InternalHealth {
    return this.internal;
  }

  /** Counts `event` against `limits`; answers true when the target flipped (healthy ↔ unhealthy). */
  record(event: HealthEvent, limits: HealthLimits): boolean {
    const limit = limits[LIMIT_OF[event]];
    if (limit <= 0) return false;
    const good = event === 'success';
    if ((good && this.internal === 'healthy') || (!good && this.internal === 'unhealthy')) return false;
    if (++this.counts[event] >= limit) return this.set(good);
    this.internal = good ? 'mostly_healthy' : 'mostly_unhealthy';
    return false;
  }

  /** Settles the target (a limit reached, or a manual override): counters back to 0; true when that flipped it. */
  set(healthy: boolean): boolean {
    const was = this.isHealthy;
    this.isHealthy = healthy;
    this.internal = healthy ? 'healthy' : 'unhealthy';
    for (const k of Object.keys(this.counts) as HealthEvent[]) this.counts[k] = 0;
    return was !== healthy;
  }

  /** One counter as it stands. */
  count(event: HealthEvent): number {
    return this.counts[event];
  }

  /** The counters as they stand (for tests). */
  counters(): Readonly<Record<HealthEvent, number>> {
    return { ...this.counts };
  }
}
