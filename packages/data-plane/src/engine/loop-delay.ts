import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Starts measuring how late the event loop runs (the longest stall a request
 * could have seen) and answers a function that stops and reports the worst
 * delay in ms, to 2 ms resolution. Used around a config apply so its log
 * line says what the apply cost traffic on this process.
 */
export function watchLoopDelay(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  return () => {
    histogram.disable();
    // Nanoseconds; the 2 ms sampling interval itself is not a delay.
    return Math.max(0, Math.round((histogram.max / 1e6 - 2) * 10) / 10);
  };
}
