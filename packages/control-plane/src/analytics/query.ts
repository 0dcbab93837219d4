import { mergeHistogram, percentiles, type AnalyticsGranularity, type AnalyticsPoint, type AnalyticsReport, type Histogram } from '@gatehouse/protocol';
import type { Db } from '../database/client';

/** What to count: a runtime group, optionally narrowed to one gateway service or route. */
export interface AnalyticsScope {
  runtimeGroupId: string;
  serviceId?: string;
  routeId?: string;
}

/** The window a query counts: `since` inclusive (a period start), `until` exclusive. */
export interface AnalyticsWindow {
  since: Date;
  until: Date;
  granularity: AnalyticsGranularity;
}

interface Row {
  at: Date;
  status: number;
  count: bigint | number;
  latency_hist: Histogram;
  upstream_latency_hist: Histogram;
  bytes_in: bigint | number;
  bytes_out: bigint | number;
}

/**
 * Counts traffic in a window from the minute or hour table, merging latency
 * histograms so percentiles cover every request in the window. The answer is
 * the protocol's `analyticsReport`.
 */
export async function queryAnalytics(db: Db, scope: AnalyticsScope, window: AnalyticsWindow): Promise<AnalyticsReport> {
  const table = window.granularity === 'hour' ? 'analytics_hour' : 'analytics_minute';
  const params: unknown[] = [scope.runtimeGroupId, window.since.toISOString(), window.until.toISOString()];
  let filter = '';
  if (scope.serviceId !== undefined) {
    params.push(scope.serviceId);
    filter += ` AND service_id = $${params.length}`;
  }
  if (scope.routeId !== undefined) {
    params.push(scope.routeId);
    filter += ` AND route_id = $${params.length}`;
  }
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT at, status, sum(count) AS count,
            gatehouse_hist_sum(latency_hist) AS latency_hist,
            gatehouse_hist_sum(upstream_latency_hist) AS upstream_latency_hist,
            sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out
       FROM ${table}
      WHERE runtime_group_id = $1::uuid AND at >= $2::timestamptz AND at < $3::timestamptz${filter}
      GROUP BY at, status
      ORDER BY at, status`,
    ...params,
  );
  const byStatus: Record<string, number> = {};
  const series = new Map<number, AnalyticsPoint>();
  const latency: Histogram = {};
  const upstream: Histogram = {};
  let total = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  for (const row of rows) {
    bytesIn += Number(row.bytes_in);
    bytesOut += Number(row.bytes_out);
    const count = Number(row.count);
    const code = String(row.status);
    total += count;
    byStatus[code] = (byStatus[code] ?? 0) + count;
    const at = new Date(row.at);
    let point = series.get(at.getTime());
    if (!point) {
      point = { at: at.toISOString(), total: 0, by_status_code: {} };
      series.set(at.getTime(), point);
    }
    point.total += count;
    point.by_status_code[code] = (point.by_status_code[code] ?? 0) + count;
    mergeHistogram(latency, row.latency_hist);
    mergeHistogram(upstream, row.upstream_latency_hist);
  }
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    granularity: window.granularity,
    total,
    by_status_code: byStatus,
    series: [...series.values()],
    latency_ms: percentiles(latency),
    upstream_latency_ms: percentiles(upstream),
    bytes_in: bytesIn,
    bytes_out: bytesOut,
  };
}
