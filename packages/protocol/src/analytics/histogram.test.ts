import { HISTOGRAM_GROWTH, mergeHistogram, quantile, recordLatency, type Histogram } from './histogram';

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('latency histogram', () => {
  it('agrees with a direct computation within the bucket error', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const latencies = Array.from({ length: 5000 }, () => Math.exp(random() * 8) / 10); // 0.1 ms … 300 ms
    const h: Histogram = {};
    for (const l of latencies) recordLatency(h, l);
    const sorted = [...latencies].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(sorted, q);
      const approx = quantile(h, q)!;
      expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(HISTOGRAM_GROWTH - 1);
    }
  });

  it('merges by adding counts, so merged percentiles equal those of all values together', () => {
    const a: Histogram = {};
    const b: Histogram = {};
    const all: Histogram = {};
    for (let i = 1; i <= 100; i++) {
      recordLatency(i % 2 ? a : b, i);
      recordLatency(all, i);
    }
    expect(mergeHistogram({ ...a }, b)).toEqual(all);
    expect(quantile(mergeHistogram({ ...a }, b), 0.99)).toBe(quantile(all, 0.99));
  });

  it('answers null for an empty histogram', () => {
    expect(quantile({}, 0.5)).toBeNull();
  });
});
