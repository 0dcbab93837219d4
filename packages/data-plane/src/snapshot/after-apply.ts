import type { ConfigCache } from '../cache/config-cache';
import type { WorkerPool } from '../workers/primary';
import type { PreparedSnapshot } from './prepared';

/**
 * Work that must be finished after a snapshot serves in this process and
 * before the DP answers `applied` to the CP. The pipeline runs its steps one
 * after another, in the order given, and answers only once the last one
 * resolved.
 *
 * A step handles the failures it can live with itself — it logs them and
 * resolves — because the config is serving, so `applied` stays the truth (a
 * cache write on a full disk: docs/DATA-PLANE.md). A step that rejects means
 * the DP cannot stand behind `applied`: the later steps are skipped and no
 * answer is sent for that snapshot (the DP's pings still report the hash it
 * serves).
 */
export interface AfterApplyStep {
  /** Named in the log when the step fails. */
  readonly name: string;
  run(snapshot: PreparedSnapshot): Promise<void>;
}

/**
 * With proxy workers (GATEHOUSE_WORKERS > 1): rolls the snapshot out to every
 * worker and waits until each serves it (or failed it, or timed out — the
 * pool logs both), so `applied` means the whole DP serves it, not just the
 * primary, which serves no requests.
 */
export function servedByWorkers(pool: WorkerPool): AfterApplyStep {
  return { name: 'workers_served', run: (snapshot) => pool.serve(snapshot) };
}

/**
 * Writes the snapshot to the config cache (GATEHOUSE_DP_DIR/config.json), so
 * that a restarted DP serves it before the CP answers. A failed write is
 * logged by the cache and not an error here: the config is serving.
 */
export function savedToCache(cache: ConfigCache): AfterApplyStep {
  return {
    name: 'cache_saved',
    run: async (snapshot) => {
      await cache.save(snapshot);
    },
  };
}
