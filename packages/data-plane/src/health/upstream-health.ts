import { healthchecksOn, type Healthchecks } from '@gatehouse/protocol';
import type { BalancerEntry } from '../balancer/types';
import { TargetHealthState, type HealthEvent, type HealthLimits } from './counters';

/** A target's health as Kong's `/upstreams/{u}/health` names it. */
export type TargetHealthName = 'HEALTHY' | 'UNHEALTHY' | 'HEALTHCHECKS_OFF' | 'DNS_ERROR';

/** Where an event came from: each source has its own limits in `healthchecks`. */
export type HealthSource = 'active' | 'passive';

/** A failure reported for one entry: `counted` when it added to a counter (lua-resty-healthcheck's increment). */
export interface TargetFailure {
  readonly entry: BalancerEntry;
  readonly event: Exclude<HealthEvent, 'success'>;
  readonly source: HealthSource;
  readonly counted: boolean;
}

function limitsOf(hc: Healthchecks, source: HealthSource): HealthLimits {
  const s = source === 'active' ? hc.active : hc.passive;
  return { successes: s.healthy.successes, http_failures: s.unhealthy.http_failures, tcp_failures: s.unhealthy.tcp_failures, timeouts: s.unhealthy.timeouts };
}

/**
 * The health of one upstream's targets in this DP process: a counter state
 * per target (counters.ts), and `down`, the flags the balancing algorithms
 * skip (1: unhealthy). States are kept by target address across config
 * swaps, so rebuilding the balancer (a target added, a field changed) does
 * not forget which targets are down. `available` is Kong's balancer health:
 * false when no weight is healthy, or the healthy share of the weight is
 * below `threshold` percent; the request then gets Kong's 503.
 */
export class UpstreamHealth {
  down: Uint8Array;
  readonly enabled: boolean;
  private states: TargetHealthState[];
  private totalWeight: number;
  private healthyWeight: number;
  private readonly listeners = new Set<() => void>();
  private readonly failureListeners = new Set<(f: TargetFailure) => void>();

  constructor(
    readonly upstreamId: string,
    readonly upstreamName: string,
    readonly config: Healthchecks,
    public entries: readonly BalancerEntry[],
    previous?: UpstreamHealth,
    /** The upstream's `host_header`: the Host of active probes when set (Kong's). */
    readonly hostHeader: string | null = null,
  ) {
    this.enabled = healthchecksOn(config);
    this.states = entries.map((e) => previous?.stateFor(e) ?? new TargetHealthState());
    this.down = new Uint8Array(entries.length);
    this.totalWeight = entries.reduce((a, e) => a + e.weight, 0);
    this.healthyWeight = this.totalWeight;
    this.states.forEach((s, i) => this.mark(i, s.healthy));
  }

  /** The state kept for an entry (a target, or one address of a hostname target), or undefined. */
  stateFor(entry: BalancerEntry): TargetHealthState | undefined {
    const i = this.entries.findIndex((e) => e.target === entry.target && e.host === entry.host && e.port === entry.port);
    return i < 0 ? undefined : this.states[i];
  }

  /** New entries for the same upstream (a hostname's DNS answer changed): the states of addresses still there are kept. */
  reset(entries: readonly BalancerEntry[]): void {
    const states = entries.map((e) => this.stateFor(e) ?? new TargetHealthState());
    this.entries = entries;
    this.states = states;
    this.down = new Uint8Array(entries.length);
    this.totalWeight = entries.reduce((a, e) => a + e.weight, 0);
    this.healthyWeight = this.totalWeight;
    this.states.forEach((s, i) => this.mark(i, s.healthy));
    for (const fn of this.listeners) fn();
  }

  /** Calls `fn` whenever a target flips; answers a function that unsubscribes. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls `fn` for every failure reported (counted or not), before a flip it causes is announced; answers the unsubscribe. */
  onFailure(fn: (f: TargetFailure) => void): () => void {
    this.failureListeners.add(fn);
    return () => this.failureListeners.delete(fn);
  }

  /** Counts an event for the target at `index` (a probe's or a proxied try's outcome). */
  report(index: number, event: HealthEvent, source: HealthSource): void {
    const state = this.states[index];
    const entry = this.entries[index];
    if (state === undefined || entry === undefined) return;
    const before = state.count(event);
    const flipped = state.record(event, limitsOf(this.config, source));
    if (event !== 'success' && this.failureListeners.size > 0) {
      const counted = flipped || state.count(event) > before;
      for (const fn of this.failureListeners) fn({ entry, event, source, counted });
    }
    if (flipped) this.flipped(index, state.healthy);
  }

  /** A live response's status: in the passive unhealthy list it is an HTTP failure, in the healthy list a success. */
  reportStatus(index: number, status: number): void {
    const p = this.config.passive;
    if (p.type === 'tcp') return;
    if (p.unhealthy.http_statuses.includes(status)) this.report(index, 'http_failure', 'passive');
    else if (p.healthy.http_statuses.includes(status)) this.report(index, 'success', 'passive');
  }

  /** A manual override (Kong's `POST …/targets/{t}/healthy|unhealthy`); false when the target is not in this upstream. */
  set(target: string, healthy: boolean): boolean {
    let found = false;
    this.entries.forEach((e, i) => {
      if (e.target !== target) return;
      found = true;
      if (this.states[i]?.set(healthy)) this.flipped(i, healthy);
    });
    return found;
  }

  /** Kong's balancer health: some weight is healthy, and its share is not below `threshold`. */
  available(): boolean {
    if (this.healthyWeight <= 0) return false;
    return (this.healthyWeight / this.totalWeight) * 100 >= this.config.threshold;
  }

  /** The target's health as the API shows it: a target taken out by a manual override shows UNHEALTHY even with checks off. */
  healthOf(index: number): TargetHealthName {
    if (this.down[index] === 1) return 'UNHEALTHY';
    return this.enabled ? 'HEALTHY' : 'HEALTHCHECKS_OFF';
  }

  isHealthy(index: number): boolean {
    return this.down[index] !== 1;
  }

  private flipped(index: number, healthy: boolean): void {
    this.mark(index, healthy);
    for (const fn of this.listeners) fn();
  }

  private mark(index: number, healthy: boolean): void {
    const was = this.down[index] !== 1;
    const weight = this.entries[index]?.weight ?? 0;
    this.down[index] = healthy ? 0 : 1;
    if (healthy && !was) this.healthyWeight += weight;
    else if (!healthy && was) this.healthyWeight -= weight;
  }
}
