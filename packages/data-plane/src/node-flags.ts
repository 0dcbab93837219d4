/**
 * The V8 flags a data plane runs with.
 *
 * The first two pin the young generation at 16 MiB per semi-space from the
 * start: under proxy load V8 would otherwise grow it from 1 MiB step by
 * step, minutes into a run, which shows as a lasting step in RSS (the soak
 * in docs/benchmarks.md) and costs extra scavenges until it has grown. They
 * are command-line flags (V8 reads them when the heap is made; NODE_OPTIONS
 * refuses the min flag), so launch scripts, `npm run dp` and the Dockerfile
 * all pass these same values.
 *
 * The regex flags are DP_REGEX_FLAGS (why: docs/PROXY.md, Regex engine).
 */
export const DP_REGEX_FLAGS = ['--enable-experimental-regexp-engine-on-excessive-backtracks', '--regexp-backtracks-before-fallback=10000'] as const;

/** Every flag a DP process is started with (launch scripts, `npm run dp`, the Dockerfile). */
export const DP_NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16', ...DP_REGEX_FLAGS] as const;
