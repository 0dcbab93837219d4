'use strict';
// Preloaded into the soak's CP (`node -r`): after each major collection it
// writes the JavaScript heap in use (live data, the CP's equivalent of the
// DP's /metrics heap figure) to GATEHOUSE_SOAK_HEAP_FILE, so the soak can tell
// a leak of live data from allocator slack in RSS. Soak tooling only: the CP
// itself exposes no such figure.
const fs = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const file = process.env.GATEHOUSE_SOAK_HEAP_FILE;
if (file) {
  const write = () => {
    try {
      fs.writeFileSync(`${file}.tmp`, String(process.memoryUsage().heapUsed));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the soak reads the last figure written; a missed one costs nothing
    }
  };
  new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) write();
  }).observe({ entryTypes: ['gc'] });
  write();
}
