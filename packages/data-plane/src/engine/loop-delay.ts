import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * One histogram for the process, enabled while any watch runs. Each
 * `monitorEventLoopDelay` allocates a native histogram of about 370 KB that
 * only a major collection frees; one per config apply grew the DP's resident
 * memory under config churn (docs/benchmarks.md, "Soak").
 */
let histogram: IntervalHistogram | null = null;
let watching = 0;

/**
 * Starts measuring how late the event loop runs (the longest stall a request
 * could have seen) and answers a function that stops and reports the worst
 * delay in ms, to 2 ms resolution. Used around a config apply so its log
 * line says what the apply cost traffic on this process. Watches that
 * overlap (an apply superseded by the next) share the histogram, so the later
 * one reports the worst delay since the first began. The returned function
 * reports once; later calls answer the same figure.
 */
export function watchLoopDelay(): () => number {
  histogram ??= monitorEventLoopDelay({ resolution: 2 });
  const h = histogram;
  if (watching++ === 0) {
    h.reset();
    h.enable();
  }
  let result: number | null = null;
  return () => {
    if (result !== null) return result;
    // Nanoseconds; the 2 ms sampling interval itself is not a delay. An empty histogram's max is 0.
    result = Math.max(0, Math.round((h.max / 1e6 - 2) * 10) / 10);
    if (--watching === 0) h.disable();
    return result;
  };
}
