import { thrownMessage } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import type { Logger } from '../logging';

/** How long analytics rows are kept. */
export interface RetentionSettings {
  minuteDays: number;
  hourDays: number;
}

const DAY_MS = 86_400_000;
// Only one CP process prunes at a time.
const LOCK_KEY = 0x6761_7465;

/**
 * Deletes minute rows (and the batch ids that dedupe them, and the per-node
 * minute totals that cap them) older than
 * `minuteDays`, and hour rows older than `hourDays`.
 */
export async function pruneAnalytics(db: Db, retention: RetentionSettings, log: Logger, now = new Date()): Promise<void> {
  const minuteCutoff = new Date(now.getTime() - retention.minuteDays * DAY_MS);
  const hourCutoff = new Date(now.getTime() - retention.hourDays * DAY_MS);
  await db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
    if (!locked) return;
    const minutes = await tx.$executeRaw`DELETE FROM analytics_minute WHERE at < ${minuteCutoff}`;
    const batches = await tx.$executeRaw`DELETE FROM analytics_batches WHERE received_at < ${minuteCutoff}`;
    await tx.$executeRaw`DELETE FROM analytics_node_minutes WHERE at < ${minuteCutoff}`;
    const hours = await tx.$executeRaw`DELETE FROM analytics_hour WHERE at < ${hourCutoff}`;
    if (minutes + hours + batches > 0) log.info({ event: 'analytics_pruned', minute_rows: minutes, hour_rows: hours, batches });
  });
}

/** Prunes now and then every hour until stopped. */
export function startRetention(db: Db, retention: RetentionSettings, log: Logger): { stop(): void } {
  const run = (): void => {
    pruneAnalytics(db, retention, log).catch((err: unknown) => log.warn({ event: 'analytics_prune_failed', err: thrownMessage(err) }));
  };
  run();
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
