'use strict';
// Samples each process's resident memory and open file descriptors from
// /proc (and the JavaScript heap: the DP's from its /metrics, the CP's from
// scripts/soak/heap-probe.js) every few seconds, and judges
// them: memory must stay within 10% of its level just after warm-up,
// descriptors must not keep growing.
const fs = require('node:fs');

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function openFds(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The DP's JavaScript heap in use, from its /metrics (NaN when unreachable). */
async function heapUsed(statusUrl) {
  try {
    const text = await (await fetch(`${statusUrl}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** A heap figure written to a file (the CP's, by scripts/soak/heap-probe.js); NaN until there is one. */
function heapFromFile(file) {
  try {
    return Number(fs.readFileSync(file, 'utf8'));
  } catch {
    return NaN;
  }
}

/**
 * Samples `pids` (name → pid) every `everyMs`; `samples` holds {t, name, rss,
 * fds, heap}. `heapSources` (name → a status URL, or `{file}`) adds the
 * JavaScript heap in use.
 */
function startSampler(pids, everyMs, heapSources = {}) {
  const started = Date.now();
  const samples = [];
  const take = async () => {
    for (const [name, pid] of Object.entries(pids)) {
      const t = (Date.now() - started) / 1000;
      const source = heapSources[name];
      const heap = source === undefined ? NaN : typeof source === 'string' ? await heapUsed(source) : heapFromFile(source.file);
      try {
        samples.push({ t, name, rss: rssBytes(pid), fds: openFds(pid), heap });
      } catch {
        samples.push({ t, name, rss: NaN, fds: NaN, heap });
      }
    }
  };
  void take();
  const timer = setInterval(() => void take(), everyMs);
  return { samples, stop: () => clearInterval(timer) };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
};
const floor = (xs) => {
  const s = xs.filter(Number.isFinite);
  return s.length === 0 ? NaN : Math.min(...s);
};
const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);
const pct = (from, to) => +(((to - from) / from) * 100).toFixed(1);

/**
 * Judges one process's samples: the first fifth after warm-up against the
 * last fifth. V8 lets RSS climb for minutes and then gives memory back in one
 * compaction (a sawtooth), so a window's median says where in the tooth it
 * was taken, not whether memory leaks. A leak raises the floor: the judged
 * figures are the lowest RSS and the lowest heap in use (live data right
 * after a collection) of each window. Medians are reported too.
 */
function judge(samples, name, { warmupS, durationS, maxGrowth, maxRssGrowth = maxGrowth, maxFdGrowth }) {
  const mine = samples.filter((s) => s.name === name && s.t >= warmupS);
  const span = durationS - warmupS;
  const first = mine.filter((s) => s.t <= warmupS + span / 5);
  const last = mine.filter((s) => s.t >= durationS - span / 5);
  const rssFloorGrowth = pct(floor(first.map((s) => s.rss)), floor(last.map((s) => s.rss)));
  const heapFloorGrowth = pct(floor(first.map((s) => s.heap)), floor(last.map((s) => s.heap)));
  const baseFds = median(first.map((s) => s.fds));
  const endFds = median(last.map((s) => s.fds));
  const heapOk = Number.isNaN(heapFloorGrowth) || heapFloorGrowth < maxGrowth * 100;
  const ok = Number.isFinite(rssFloorGrowth) && rssFloorGrowth < maxRssGrowth * 100 && heapOk && endFds - baseFds <= maxFdGrowth;
  return {
    name,
    ok,
    rss_floor_after_warmup_mb: mb(floor(first.map((s) => s.rss))),
    rss_floor_end_mb: mb(floor(last.map((s) => s.rss))),
    rss_floor_growth_pct: rssFloorGrowth,
    rss_median_growth_pct: pct(median(first.map((s) => s.rss)), median(last.map((s) => s.rss))),
    rss_max_mb: mb(Math.max(...mine.map((s) => s.rss))),
    heap_floor_after_warmup_mb: Number.isNaN(heapFloorGrowth) ? null : mb(floor(first.map((s) => s.heap))),
    heap_floor_end_mb: Number.isNaN(heapFloorGrowth) ? null : mb(floor(last.map((s) => s.heap))),
    heap_floor_growth_pct: Number.isNaN(heapFloorGrowth) ? null : heapFloorGrowth,
    fds_after_warmup: baseFds,
    fds_end: endFds,
    fds_max: Math.max(...mine.map((s) => s.fds)),
  };
}

module.exports = { startSampler, judge };
