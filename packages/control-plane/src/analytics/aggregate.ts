import { mergeHistogram, type Histogram, type StatsBucket } from '@gatehouse/protocol';

/** One row of analytics_minute or analytics_hour, before it is written. */
export interface TrafficRow {
  at: Date;
  routeId: string;
  serviceId: string;
  consumerId: string;
  status: number;
  count: number;
  latencySum: number;
  latencyMax: number;
  latencyHist: Histogram;
  upstreamLatencySum: number;
  upstreamLatencyMax: number;
  upstreamLatencyHist: Histogram;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Folds a batch's buckets into rows keyed by (period start, route, service,
 * consumer, status), the period being `periodMs` long (one of the protocol's
 * ANALYTICS_PERIOD_MS). Rows with the same key are merged here, because one
 * SQL upsert may not touch the same row twice.
 */
export function aggregateBuckets(buckets: readonly StatsBucket[], periodMs: number): TrafficRow[] {
  const rows = new Map<string, TrafficRow>();
  for (const b of buckets) {
    const at = Math.floor((b.minute * 1000) / periodMs) * periodMs;
    const routeId = b.route_id ?? '';
    const serviceId = b.service_id ?? '';
    const consumerId = b.consumer_id ?? '';
    const key = `${at}|${routeId}|${serviceId}|${consumerId}|${b.status}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        at: new Date(at),
        routeId,
        serviceId,
        consumerId,
        status: b.status,
        count: b.count,
        latencySum: b.latency_sum,
        latencyMax: b.latency_max,
        latencyHist: { ...b.latency_hist },
        upstreamLatencySum: b.upstream_latency_sum,
        upstreamLatencyMax: b.upstream_latency_max,
        upstreamLatencyHist: { ...b.upstream_latency_hist },
        bytesIn: b.bytes_in ?? 0,
        bytesOut: b.bytes_out ?? 0,
      });
      continue;
    }
    row.count += b.count;
    row.latencySum += b.latency_sum;
    row.latencyMax = Math.max(row.latencyMax, b.latency_max);
    mergeHistogram(row.latencyHist, b.latency_hist);
    row.upstreamLatencySum += b.upstream_latency_sum;
    row.upstreamLatencyMax = Math.max(row.upstreamLatencyMax, b.upstream_latency_max);
    mergeHistogram(row.upstreamLatencyHist, b.upstream_latency_hist);
    row.bytesIn += b.bytes_in ?? 0;
    row.bytesOut += b.bytes_out ?? 0;
  }
  return [...rows.values()];
}
