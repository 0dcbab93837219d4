import { z } from 'zod';

/** The period analytics are counted by: the minute table or the hour roll-up. */
export const analyticsGranularity = z.enum(['minute', 'hour']);
export type AnalyticsGranularity = z.infer<typeof analyticsGranularity>;

/** How long one period of each granularity is, in milliseconds; periods start on whole minutes and hours (UTC). */
export const ANALYTICS_PERIOD_MS: Readonly<Record<AnalyticsGranularity, number>> = { minute: 60_000, hour: 3_600_000 };

/** Requests per HTTP status code, keyed by the code as a string (`"200"`). */
export const statusCounts = z.record(z.string().regex(/^\d{3}$/, 'must be a three-digit status code'), z.number().int().nonnegative());
export type StatusCounts = z.infer<typeof statusCounts>;

/** p50, p95 and p99 in milliseconds; null when no request was counted. */
export const latencyPercentiles = z.object({
  p50: z.number().nonnegative().nullable(),
  p95: z.number().nonnegative().nullable(),
  p99: z.number().nonnegative().nullable(),
});
export type LatencyPercentiles = z.infer<typeof latencyPercentiles>;

/** One period of traffic: its start, and the requests in it. Quiet periods are left out. */
export const analyticsPoint = z.object({
  at: z.iso.datetime(),
  total: z.number().int().nonnegative(),
  by_status_code: statusCounts,
});
export type AnalyticsPoint = z.infer<typeof analyticsPoint>;

/**
 * The analytics answer (docs/API.md, Analytics) of a Service Hub version or a runtime
 * group: the window counted (`since` inclusive, rounded down to the period;
 * `until` exclusive), totals by status code, the series in time order, and
 * latency percentiles over every request in the window (whole proxy time, and
 * the upstream's part of it).
 */
export const analyticsReport = z.object({
  since: z.iso.datetime(),
  until: z.iso.datetime(),
  granularity: analyticsGranularity,
  total: z.number().int().nonnegative(),
  by_status_code: statusCounts,
  series: z.array(analyticsPoint),
  latency_ms: latencyPercentiles,
  upstream_latency_ms: latencyPercentiles,
  /** Bytes stream sessions received from clients and sent to them in the window (0 for HTTP-only traffic; docs/PROXY.md, Streams). */
  bytes_in: z.number().int().nonnegative().default(0),
  bytes_out: z.number().int().nonnegative().default(0),
});
export type AnalyticsReport = z.infer<typeof analyticsReport>;
