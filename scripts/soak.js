#!/usr/bin/env node
'use strict';
// The bounded soak (issue 9): a CP, an echo upstream and a DP from the built
// dist/, N minutes of mixed proxy traffic plus a config change every few
// seconds, while CP and DP memory and file descriptors are sampled from /proc.
// Passes (exit 0) when memory is flat (under 10% growth after warm-up), no
// descriptor leaks, and no answer the traffic did not ask for.
//
//   node scripts/soak.js [--duration MINUTES=10] [--rate REQ_PER_S=150] [--concurrency 8]
//                        [--change-every SECONDS=3] [--max-growth PERCENT=10] [--max-rss-growth PERCENT]
//                        [--warmup SECONDS] [--no-cp-heap] [--write-docs] [--json]
//
// --change-every (alias --change-interval) is a cadence: change k starts k
// intervals after the run began, or at once when the previous one ran late.
// --churn services (default) adds and removes a service, route and plugin per
// change, with a global prometheus plugin; --churn routes only a route, no
// prometheus plugin (the 30 s CI run: in thirty seconds of warm-up the heavier
// work reads as heap growth, +28–36% against 7%; long runs judge it).
//
// --max-growth loosens the memory limit for short runs, whose windows are
// still warm-up (JIT, caches) and a handful of collections apart: the 30 s CI
// run uses it as a tripwire for gross leaks; flatness is judged by long runs.
// --max-rss-growth (default: --max-growth) judges RSS apart from the heap: in
// a run of seconds the DP's RSS still grows while V8 first touches its pinned
// young generation (packages/data-plane/src/node-flags.ts), so a short run
// judges live data by the heap floor and RSS only as a gross tripwire.
// --warmup SECONDS (default: a fifth of the run) sets where judging starts:
// the CP's Prisma keeps up to 1,000 compiled query plans (its default), and
// a config change a second fills that cache for about 15 minutes before it
// levels off (docs/benchmarks.md, "Soak"), so a run that judges the CP's heap
// starts after that.
// --no-cp-heap judges the CP by RSS only: a run of seconds is all plan-cache
// warm-up for the CP's heap (the 30 s CI run).
// --write-docs puts the figures into docs/benchmarks.md under "## Soak".
// DATABASE_URL, when set, is used instead of the CP's embedded PostgreSQL.
const os = require('node:os');
const { startInstallation } = require('./soak/processes');
const { apiClient, setUp, change } = require('./soak/config');
const { startTraffic } = require('./soak/traffic');
const { startSampler, judge } = require('./soak/sampler');
const { writeSoakSection } = require('./soak/report');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`soak: --${name} needs a positive number`);
    process.exit(2);
  }
  return value;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const durationS = Math.round(option('duration', 10) * 60);
  const rate = option('rate', 150);
  const concurrency = option('concurrency', 8);
  const changeEveryS = option('change-every', option('change-interval', 3));
  const churnAt = process.argv.indexOf('--churn');
  const churn = churnAt < 0 ? 'services' : process.argv[churnAt + 1];
  if (churn !== 'services' && churn !== 'routes') {
    console.error('soak: --churn is services or routes');
    process.exit(2);
  }
  const maxGrowth = option('max-growth', 10) / 100;
  const maxRssGrowth = option('max-rss-growth', maxGrowth * 100) / 100;
  const warmupS = option('warmup', Math.max(10, Math.round(durationS / 5)));
  const log = (msg) => process.argv.includes('--json') || console.error(`soak: ${msg}`);

  const inst = await startInstallation();
  let result;
  try {
    const api = apiClient(inst.adminUrl, inst.token);
    const ids = await setUp(api, inst.echoUrl, churn);
    // Let the first snapshot reach the DP before traffic counts.
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${inst.proxyUrl}/mock`).catch(() => null);
      if (res && res.status === 200) break;
      await sleep(100);
    }
    log(`running ${durationS} s at ${rate} req/s, a change every ${changeEveryS} s, warm-up ${warmupS} s`);
    // Dense enough that each judged window holds many samples, some right after a collection.
    const sampler = startSampler(inst.pids, Math.min(5000, Math.max(250, (durationS * 1000) / 120)), {
      dp: inst.statusUrl,
      ...(process.argv.includes('--no-cp-heap') ? {} : { cp: { file: inst.cpHeapFile } }),
    });
    const traffic = startTraffic(inst.proxyUrl, { ratePerSecond: rate, concurrency });
    const started = Date.now();
    let changes = 0;
    let changeErrors = 0;
    while (Date.now() - started < durationS * 1000) {
      await sleep(Math.max(0, started + (changes + 1) * changeEveryS * 1000 - Date.now()));
      if (Date.now() - started >= durationS * 1000) break;
      try {
        await change(api, ids, ++changes, churn);
        traffic.churn.newest = changes;
      } catch (err) {
        changeErrors++;
        log(`config change ${changes} failed: ${err.message}`);
      }
      if (changes % 20 === 0) log(`${Math.round((Date.now() - started) / 1000)} s: ${traffic.counts.total} requests, ${traffic.counts.unexpected} unexpected`);
    }
    await traffic.stop();
    sampler.stop();
    const limits = { warmupS, durationS, maxGrowth, maxRssGrowth, maxFdGrowth: 10 };
    const processes = ['cp', 'dp'].map((name) => judge(sampler.samples, name, limits));
    result = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus().length} cores, Node ${process.version}`,
      duration_s: durationS,
      warmup_s: warmupS,
      rate_per_s: rate,
      concurrency,
      change_every_s: changeEveryS,
      churn,
      max_growth_pct: maxGrowth * 100,
      changes,
      change_errors: changeErrors,
      traffic: {
        total: traffic.counts.total,
        unexpected: traffic.counts.unexpected,
        byKind: traffic.counts.byKind,
        unexpectedSamples: traffic.counts.unexpectedSamples,
      },
      processes,
      samples: sampler.samples,
    };
    result.ok = processes.every((p) => p.ok) && traffic.counts.unexpected === 0 && changeErrors === 0 && traffic.counts.total > 0;
  } finally {
    await inst.stop();
  }
  if (process.argv.includes('--write-docs')) writeSoakSection(result);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    const { samples, ...summary } = result;
    console.log(JSON.stringify(summary, null, 2));
  }
  process.exit(result.ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`soak: ${err.stack || err.message}`);
  process.exit(2);
});
