import type { z } from 'zod';
import type { statsMessage } from '@gatehouse/protocol';

/** Which node a stats batch came from (its group proven by its certificate). */
export interface StatsSource {
  runtimeGroupId: string;
  nodeId: string;
}

/** A batch stored now, stored before (counted once), or refused for good with the reason (never counted). */
export type StatsOutcome = 'stored' | 'duplicate' | { refused: string };

/**
 * Stores a validated stats batch. When it resolves, the CP answers
 * `stats_ack` (with `refused` and the reason for a refused batch) and the DP
 * deletes the batch; when it rejects (the database is away), no ack is sent
 * and the DP sends the batch again later — so it must count a batch id once.
 * The analytics module provides it (see startCluster's `onStats`).
 */
export type StatsHandler = (source: StatsSource, batch: z.infer<typeof statsMessage>) => Promise<StatsOutcome>;
