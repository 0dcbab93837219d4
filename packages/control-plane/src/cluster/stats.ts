import type { z } from 'zod';
import type { statsMessage } from '@gatehouse/protocol';

/** Which node a stats batch came from (its group proven by its certificate). */
export interface StatsSource {
  runtimeGroupId: string;
  nodeId: string;
}

/**
 * Stores a validated stats batch. When it resolves, the CP answers
 * `stats_ack` and the DP deletes the batch; when it rejects, no ack is sent
 * and the DP sends the batch again later — so it must count a batch id once.
 * The analytics module provides it (see startCluster's `onStats`).
 */
export type StatsHandler = (source: StatsSource, batch: z.infer<typeof statsMessage>) => Promise<unknown>;
