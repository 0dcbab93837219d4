import type { HealthOverride, StatsBucket, UpstreamHealthReport } from '@gatehouse/protocol';
import type { ServableSnapshot } from '../snapshot/prepared';

/**
 * IPC between the primary and its proxy workers (GATEHOUSE_WORKERS > 1).
 * The primary holds the one cluster connection, the config cache, the status
 * server and the stats spool; workers only proxy.
 */
export type PrimaryMessage =
  /** The answer to `started`: the config to serve before listening (null: none yet). */
  | { type: 'start'; snapshot: ServableSnapshot | null }
  /**
   * A new config, already checked and compiled once by the primary. Its
   * pieces are JSON text, so the IPC channel only copies strings and the
   * worker parses them one per turn of its event loop.
   */
  | { type: 'config'; snapshot: ServableSnapshot }
  /**
   * Drain the listeners (stop accepting, answer what is open with
   * `Connection: close`), send the last counts, exit. `reload`: the port stays
   * open for the new workers, so idle keep-alive connections get a grace
   * period instead of being closed at once.
   */
  | { type: 'stop'; reason: 'stop' | 'reload' }
  /** The CP's manual health override, for every worker to apply (health/). */
  | { type: 'health_override'; override: HealthOverride }
  /** The CP's proxy-cache purge (one key, or every entry with null), for every worker's stores. */
  | { type: 'proxy_cache_purge'; cacheKey: string | null };

export type WorkerMessage =
  /** The worker is listening for IPC (sent first; messages sent earlier could be lost). */
  | { type: 'started' }
  /** The worker's listeners are bound (ports as bound: the same in every worker). */
  | { type: 'ready'; port: number; tlsPort: number | null }
  /** The worker serves the config of `hash`. */
  | { type: 'applied'; hash: string }
  /** The worker could not compile a config the primary compiled (it keeps serving the previous one). */
  | { type: 'apply_failed'; hash: string; error: string }
  /** Traffic counted since the last message (analytics buckets, merged by the primary); `final`: the worker is about to exit. */
  | { type: 'stats'; buckets: StatsBucket[]; final: boolean }
  /** The worker's target health (health/), after each change; the primary merges the workers' reports for the CP. */
  | { type: 'health'; upstreams: UpstreamHealthReport[] };

/** True for a message of this protocol (IPC also carries Node's own cluster messages). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names which side's message union it receives
export function isMessage<T extends { type: string }>(m: unknown): m is T {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
