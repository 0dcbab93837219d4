import { ANALYTICS_PERIOD_MS, type StatsBucket } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import type { Prisma } from '../generated/prisma/client';
import { aggregateBuckets, type TrafficRow } from './aggregate';

/** What happened to a stats batch: stored now, or already stored before (counted once). */
export type IngestResult = 'stored' | 'duplicate';

const TABLES = { minute: 'analytics_minute', hour: 'analytics_hour' } as const;

async function upsertRows(tx: Prisma.TransactionClient, table: (typeof TABLES)[keyof typeof TABLES], runtimeGroupId: string, rows: TrafficRow[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement for the whole batch: arrays unnested into rows, merged on conflict.
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table} (runtime_group_id, at, route_id, service_id, consumer_id, status, count,
        latency_sum, latency_max, latency_hist, upstream_latency_sum, upstream_latency_max, upstream_latency_hist)
     SELECT $1::uuid, u.* FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[],
        $8::float8[], $9::float8[], $10::jsonb[], $11::float8[], $12::float8[], $13::jsonb[]) AS u
     ON CONFLICT (runtime_group_id, at, route_id, service_id, consumer_id, status) DO UPDATE SET
       count = ${table}.count + EXCLUDED.count,
       latency_sum = ${table}.latency_sum + EXCLUDED.latency_sum,
       latency_max = GREATEST(${table}.latency_max, EXCLUDED.latency_max),
       latency_hist = gatehouse_hist_add(${table}.latency_hist, EXCLUDED.latency_hist),
       upstream_latency_sum = ${table}.upstream_latency_sum + EXCLUDED.upstream_latency_sum,
       upstream_latency_max = GREATEST(${table}.upstream_latency_max, EXCLUDED.upstream_latency_max),
       upstream_latency_hist = gatehouse_hist_add(${table}.upstream_latency_hist, EXCLUDED.upstream_latency_hist)`,
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
  );
}

/**
 * Stores a data plane's stats batch exactly once: the batch id is recorded in
 * the same transaction as the counts, so a batch sent again (after a lost ack
 * or a DP restart) is recognised and not counted twice. Minute and hour rows
 * are both written here, so the hour roll-up is always complete.
 */
export async function ingestStatsBatch(
  db: Db,
  runtimeGroupId: string,
  nodeId: string,
  batch: { batch_id: string; buckets: StatsBucket[] },
): Promise<IngestResult> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO analytics_batches (batch_id, runtime_group_id, node_id, bucket_count)
      VALUES (${batch.batch_id}::uuid, ${runtimeGroupId}::uuid, ${nodeId}::uuid, ${batch.buckets.length})
      ON CONFLICT (batch_id) DO NOTHING`;
    if (inserted === 0) return 'duplicate';
    await upsertRows(tx, TABLES.minute, runtimeGroupId, aggregateBuckets(batch.buckets, ANALYTICS_PERIOD_MS.minute));
    await upsertRows(tx, TABLES.hour, runtimeGroupId, aggregateBuckets(batch.buckets, ANALYTICS_PERIOD_MS.hour));
    return 'stored';
  });
}
