import type { LiveEntities } from '../runtime';

/** The counters of one key: per period, the window counted and its count. */
interface Entry {
  starts: number[];
  counts: number[];
  /** When the longest of its windows ends (ms); the entry may be dropped after. */
  end: number;
}

/** What a rate check answers: each period's count before this request, and whether it was let through (and counted). */
export interface Usage {
  counts: number[];
  allowed: boolean;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * The `local` policy's counters, in this process's memory (Kong keeps them in
 * the node's shared memory). A check and its increment happen in one
 * synchronous step, so concurrent requests can never both take the last unit.
 * Entries whose windows have all ended are swept once a minute.
 */
export class LocalCounters {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;

  /**
   * Checks `key` against each limit (windows given by their start times);
   * if every count is under its limit, counts this request in all of them.
   * `end` is when the longest window ends. The answer is written into `out`
   * when given (a caller that reads it at once can reuse one object: no
   * allocation per request), else into a new object.
   */
  take(key: string, starts: readonly number[], limits: readonly number[], end: number, out?: Usage): Usage {
    let e = this.entries.get(key);
    // A config change may alter the periods counted under a key: start afresh then.
    if (e?.starts.length !== starts.length) {
      e = { starts: starts.slice(), counts: new Array<number>(starts.length).fill(0), end };
      this.entries.set(key, e);
      this.startSweeping();
    }
    e.end = end;
    const usage = out ?? { counts: new Array<number>(starts.length), allowed: true };
    const counts = usage.counts;
    let allowed = true;
    for (const [i, start] of starts.entries()) {
      if (e.starts[i] !== start) {
        e.starts[i] = start;
        e.counts[i] = 0;
      }
      const c = e.counts[i] ?? 0;
      counts[i] = c;
      if (c >= (limits[i] ?? Infinity)) allowed = false;
    }
    if (allowed) for (let i = 0; i < e.counts.length; i++) e.counts[i] = (e.counts[i] ?? 0) + 1;
    usage.allowed = allowed;
    return usage;
  }

  /**
   * After a config swap: drops the counters of plugins, routes and services
   * no longer in the config (keys are `plugin id|route id|service id|identifier`,
   * ids never hold `|`), instead of waiting up to their longest window for the sweep.
   */
  retainOnly(live: Pick<LiveEntities, 'pluginIds' | 'routeIds' | 'serviceIds'>): void {
    for (const key of this.entries.keys()) {
      const [pluginId = '', routeId = '', serviceId = ''] = key.split('|', 3);
      const gone = !live.pluginIds.has(pluginId) || (routeId !== '' && !live.routeIds.has(routeId)) || (serviceId !== '' && !live.serviceIds.has(serviceId));
      if (gone) this.entries.delete(key);
    }
  }

  /** Number of keys currently held. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops keys whose every window ended before `nowMs`. */
  sweep(nowMs: number): void {
    for (const [key, e] of this.entries) if (e.end <= nowMs) this.entries.delete(key);
  }

  private startSweeping(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(Date.now()), SWEEP_EVERY_MS);
    this.timer.unref();
  }
}
