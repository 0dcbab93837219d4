import { ANALYTICS_PERIOD_MS, type StatsBucket } from '@gatehouse/protocol';
import type { StatsOutcome } from '../cluster/stats';
import type { Db } from '../database/client';
import type { Prisma } from '../generated/prisma/client';
import { aggregateBuckets, type TrafficRow } from './aggregate';
import { checkStatsBatch, overCap, requestsPerMinute, type StatsLimits } from './stats-limits';

/** What happened to a stats batch (cluster/stats.ts). */
export type IngestResult = StatsOutcome;

/** Thrown inside the ingest transaction to roll it back when the node's minute goes over the cap. */
class OverCap extends Error {}

const TABLES = { minute: 'analytics_minute', hour: 'analytics_hour' } as const;

async function upsertRows(
  tx: Prisma.TransactionClient,
  table: (typeof TABLES)[keyof typeof TABLES],
  runtimeGroupId: string,
  rows: TrafficRow[],
): Promise<void> {
  if (rows.length === 0) return;
  // One statement for the whole batch: arrays unnested into rows, merged on conflict.
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table} (runtime_group_id, at, route_id, service_id, consumer_id, status, count,
        latency_sum, latency_max, latency_hist, upstream_latency_sum, upstream_latency_max, upstream_latency_hist, bytes_in, bytes_out)
     SELECT $1::uuid, u.* FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[],
        $8::float8[], $9::float8[], $10::jsonb[], $11::float8[], $12::float8[], $13::jsonb[], $14::bigint[], $15::bigint[]) AS u
     ON CONFLICT (runtime_group_id, at, route_id, service_id, consumer_id, status) DO UPDATE SET
       count = ${table}.count + EXCLUDED.count,
       latency_sum = ${table}.latency_sum + EXCLUDED.latency_sum,
       latency_max = GREATEST(${table}.latency_max, EXCLUDED.latency_max),
       latency_hist = gatehouse_hist_add(${table}.latency_hist, EXCLUDED.latency_hist),
       upstream_latency_sum = ${table}.upstream_latency_sum + EXCLUDED.upstream_latency_sum,
       upstream_latency_max = GREATEST(${table}.upstream_latency_max, EXCLUDED.upstream_latency_max),
       upstream_latency_hist = gatehouse_hist_add(${table}.upstream_latency_hist, EXCLUDED.upstream_latency_hist),
       bytes_in = ${table}.bytes_in + EXCLUDED.bytes_in,
       bytes_out = ${table}.bytes_out + EXCLUDED.bytes_out`,
    runtimeGroupId,
    rows.map((r) => r.at.toISOString()),
    rows.map((r) => r.routeId),
    rows.map((r) => r.serviceId),
    rows.map((r) => r.consumerId),
    rows.map((r) => r.status),
    rows.map((r) => r.count),
    rows.map((r) => r.latencySum),
    rows.map((r) => r.latencyMax),
    rows.map((r) => JSON.stringify(r.latencyHist)),
    rows.map((r) => r.upstreamLatencySum),
    rows.map((r) => r.upstreamLatencyMax),
    rows.map((r) => JSON.stringify(r.upstreamLatencyHist)),
    rows.map((r) => r.bytesIn),
    rows.map((r) => r.bytesOut),
  );
}

/**
 * Stores a data plane's stats batch exactly once: the batch id is recorded in
 * the same transaction as the counts, so a batch sent again (after a lost ack
 * or a DP restart) is recognised and not counted twice. Minute and hour rows
 * are both written here, so the hour roll-up is always complete.
 *
 * A batch that breaks the limits (analytics/stats-limits.ts) is refused
 * whole: nothing of it is counted, and its id is recorded with the reason, so
 * the same batch sent again is answered with the same refusal.
 */
export async function ingestStatsBatch(
  db: Db,
  runtimeGroupId: string,
  nodeId: string,
  batch: { batch_id: string; buckets: StatsBucket[] },
  limits: StatsLimits,
  nowMs = Date.now(),
): Promise<IngestResult> {
  let reason = checkStatsBatch(batch.buckets, limits, nowMs);
  if (reason === null) {
    try {
      const outcome = await db.$transaction(async (tx) => {
        const inserted = await tx.$executeRaw`
          INSERT INTO analytics_batches (batch_id, runtime_group_id, node_id, bucket_count)
          VALUES (${batch.batch_id}::uuid, ${runtimeGroupId}::uuid, ${nodeId}::uuid, ${batch.buckets.length})
          ON CONFLICT (batch_id) DO NOTHING`;
        if (inserted === 0) return 'duplicate';
        await addNodeMinutes(tx, nodeId, batch.buckets, limits);
        await upsertRows(tx, TABLES.minute, runtimeGroupId, aggregateBuckets(batch.buckets, ANALYTICS_PERIOD_MS.minute));
        await upsertRows(tx, TABLES.hour, runtimeGroupId, aggregateBuckets(batch.buckets, ANALYTICS_PERIOD_MS.hour));
        return 'stored' as const;
      });
      return outcome === 'stored' ? outcome : ((await answerForKnownBatch(db, batch.batch_id)) ?? outcome);
    } catch (err) {
      if (!(err instanceof OverCap)) throw err;
      reason = err.message;
    }
  }
  // A batch seen before keeps its first answer (stored, or refused for its own reason).
  const known = await answerForKnownBatch(db, batch.batch_id);
  if (known !== null) return known;
  await db.$executeRaw`
    INSERT INTO analytics_batches (batch_id, runtime_group_id, node_id, bucket_count, refused_reason)
    VALUES (${batch.batch_id}::uuid, ${runtimeGroupId}::uuid, ${nodeId}::uuid, ${batch.buckets.length}, ${reason})
    ON CONFLICT (batch_id) DO NOTHING`;
  return { refused: reason };
}

/**
 * Adds the batch's requests to the node's per-minute totals (one statement,
 * so parallel batches of one node are summed under the row lock) and throws
 * OverCap when a minute goes over the cap, rolling the batch back.
 */
async function addNodeMinutes(tx: Prisma.TransactionClient, nodeId: string, buckets: readonly StatsBucket[], limits: StatsLimits): Promise<void> {
  const totals = [...requestsPerMinute(buckets)];
  const rows = await tx.$queryRawUnsafe<{ at: Date; count: bigint }[]>(
    `INSERT INTO analytics_node_minutes (node_id, at, count)
     SELECT $1::uuid, u.at, u.count FROM unnest($2::timestamptz[], $3::bigint[]) AS u(at, count)
     ON CONFLICT (node_id, at) DO UPDATE SET count = analytics_node_minutes.count + EXCLUDED.count
     RETURNING at, count`,
    nodeId,
    totals.map(([minute]) => new Date(minute * 1000).toISOString()),
    totals.map(([, count]) => count),
  );
  const over = rows.find((r) => Number(r.count) > limits.maxRequestsPerNodeMinute);
  if (over) throw new OverCap(overCap(over.at.getTime() / 1000, Number(over.count), limits));
}

/** The answer a batch id already recorded got: 'duplicate' when it was stored, its refusal otherwise; null when unknown. */
async function answerForKnownBatch(db: Db, batchId: string): Promise<IngestResult | null> {
  const known = await db.analyticsBatch.findUnique({ where: { batchId }, select: { refusedReason: true } });
  if (!known) return null;
  return known.refusedReason === null ? 'duplicate' : { refused: known.refusedReason };
}
