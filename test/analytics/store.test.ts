import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { recordLatency, type Histogram, type StatsBucket } from '@gatehouse/protocol';
import { createDb, type Db } from '../../packages/control-plane/src/database/client';
import { migrate } from '../../packages/control-plane/src/database/migrate';
import { ingestStatsBatch } from '../../packages/control-plane/src/analytics/ingest';
import { statsLimits } from '../../packages/control-plane/src/analytics/stats-limits';
import { queryAnalytics } from '../../packages/control-plane/src/analytics/query';
import { pruneAnalytics } from '../../packages/control-plane/src/analytics/retention';
import { createTestDatabase, query } from '../support/database';

const log = pino({ level: 'silent' });
const limits = statsLimits({ GATEHOUSE_STATS_MAX_NODE_RPS: 50_000, GATEHOUSE_ANALYTICS_MINUTE_RETENTION_DAYS: 7 });

function bucket(minute: number, status: number, latencies: number[], serviceId: string | null = null): StatsBucket {
  const hist: Histogram = {};
  for (const l of latencies) recordLatency(hist, l);
  return {
    minute,
    route_id: null,
    service_id: serviceId,
    consumer_id: null,
    status,
    count: latencies.length,
    latency_sum: latencies.reduce((a, b) => a + b, 0),
    latency_max: Math.max(...latencies),
    latency_hist: hist,
    upstream_latency_sum: 0,
    upstream_latency_max: 0,
    upstream_latency_hist: {},
  };
}

describe('analytics store', () => {
  let databaseUrl: string;
  let db: Db;
  const rg = randomUUID();
  const serviceId = randomUUID();
  const node = randomUUID();
  const minute = Math.floor(Date.now() / 60_000) * 60 - 120;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    await migrate(databaseUrl, log);
    db = createDb(databaseUrl);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it('counts a batch once even when it is delivered twice', async () => {
    const batch = { batch_id: randomUUID(), buckets: [bucket(minute, 200, Array(30).fill(5), serviceId), bucket(minute, 503, Array(7).fill(9), serviceId)] };
    expect(await ingestStatsBatch(db, rg, node, batch, limits)).toBe('stored');
    expect(await ingestStatsBatch(db, rg, node, batch, limits)).toBe('duplicate');
    const window = { since: new Date((minute - 60) * 1000), until: new Date(Date.now() + 60_000), granularity: 'minute' as const };
    const report = await queryAnalytics(db, { runtimeGroupId: rg, serviceId }, window);
    expect(report.total).toBe(37);
    expect(report.by_status_code).toEqual({ '200': 30, '503': 7 });
    expect(report.series).toHaveLength(1);
  });

  it('merges later batches into the same minute and hour rows', async () => {
    await ingestStatsBatch(
      db,
      rg,
      node,
      { batch_id: randomUUID(), buckets: [bucket(minute, 200, [1, 2, 3], serviceId), bucket(minute + 60, 200, [4], serviceId)] },
      limits,
    );
    const minutes = await queryAnalytics(
      db,
      { runtimeGroupId: rg, serviceId },
      { since: new Date((minute - 60) * 1000), until: new Date(Date.now() + 60_000), granularity: 'minute' },
    );
    expect(minutes.by_status_code['200']).toBe(34);
    expect(minutes.series.map((p) => p.total)).toEqual([40, 1]);
    const hours = await queryAnalytics(
      db,
      { runtimeGroupId: rg, serviceId },
      { since: new Date(Date.now() - 3 * 3_600_000), until: new Date(Date.now() + 3_600_000), granularity: 'hour' },
    );
    expect(hours.total).toBe(41);
    expect(hours.latency_ms.p99).not.toBeNull();
  });

  it('keeps other services and groups apart', async () => {
    const other = await queryAnalytics(
      db,
      { runtimeGroupId: rg, serviceId: randomUUID() },
      { since: new Date(0), until: new Date(Date.now() + 60_000), granularity: 'minute' },
    );
    expect(other.total).toBe(0);
    const otherGroup = await queryAnalytics(
      db,
      { runtimeGroupId: randomUUID() },
      { since: new Date(0), until: new Date(Date.now() + 60_000), granularity: 'minute' },
    );
    expect(otherGroup.total).toBe(0);
  });

  it('prunes minute rows after their retention and keeps hour rows longer', async () => {
    await pruneAnalytics(db, { minuteDays: 7, hourDays: 90 }, log, new Date(Date.now() + 8 * 86_400_000));
    expect(await query(databaseUrl, 'SELECT 1 FROM analytics_minute')).toHaveLength(0);
    expect((await query(databaseUrl, 'SELECT 1 FROM analytics_hour')).length).toBeGreaterThan(0);
  });
});
