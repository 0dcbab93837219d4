import type { LatencyPercentiles } from './report';

/**
 * Latency histograms with fixed log-scale buckets, shared by the DP (which
 * records), the CP (which merges and stores) and anyone reading percentiles.
 *
 * Bucket `i` holds latencies in [GROWTH^i, GROWTH^(i+1)) microseconds, so any
 * percentile read from a histogram is within GROWTH - 1 (5%) of the true value.
 * A histogram is a sparse map from bucket index (as a string key, so it is
 * plain JSON) to a count.
 */
export type Histogram = Record<string, number>;

export const HISTOGRAM_GROWTH = 1.05;
const LOG_GROWTH = Math.log(HISTOGRAM_GROWTH);

/** The bucket a latency in milliseconds falls into. */
export function bucketIndex(ms: number): number {
  const us = ms * 1000;
  if (!(us > 1)) return 0;
  return Math.floor(Math.log(us) / LOG_GROWTH);
}

/** The value a bucket stands for: its geometric middle, in milliseconds. */
export function bucketValue(index: number): number {
  if (index <= 0) return 0.001;
  return Math.pow(HISTOGRAM_GROWTH, index + 0.5) / 1000;
}

/** Adds one latency (ms) to a histogram, in place. */
export function recordLatency(h: Histogram, ms: number): void {
  const key = String(bucketIndex(ms));
  h[key] = (h[key] ?? 0) + 1;
}

/** Adds `from` into `into`, in place. */
export function mergeHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  return into;
}

/** The q-th quantile (0 < q ≤ 1) in milliseconds, or null for an empty histogram. */
export function quantile(h: Histogram, q: number): number | null {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [index, n] of entries) {
    seen += n;
    if (seen >= rank) return bucketValue(index);
  }
  const last = entries.at(-1);
  return last === undefined ? null : bucketValue(last[0]);
}

/** p50, p95 and p99 of a histogram, in milliseconds rounded to 0.01 ms. */
export function percentiles(h: Histogram): LatencyPercentiles {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
  return { p50: round(quantile(h, 0.5)), p95: round(quantile(h, 0.95)), p99: round(quantile(h, 0.99)) };
}
