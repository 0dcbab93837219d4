'use strict';
/**
 * Scale benchmark. For 1,000 / 10,000 / 50,000 routes (with services and
 * plugins in proportion): the CP's snapshot build time and transfer size, the
 * DP's apply time, the longest wait a request saw on the DP while it applied
 * (a paced probe keeps requesting a route present in every version), and
 * the memory (RSS) of the CP and the DP afterwards, for a one-process DP and
 * for one with 2 proxy workers. Then one CP holding 200 simulated DP
 * connections (real certificates, real TLS) sending heartbeats and stats,
 * with the CP's CPU share over the window.
 */
const os = require('node:os');
const { freePort, startNode, sleep } = require('./lib/processes');
const { probe } = require('./lib/load');
const { bulkInsert } = require('./lib/bulk-config');
const { startDatabase, startCp, issueCertificate, startClusterDp, rssOf } = require('./lib/control-plane');
const { holdConnections } = require('./lib/simulated-dps');
const { fmtMs, fmtBytes, fmtRatio } = require('./lib/stats');

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,10000,50000').split(',').map(Number);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);

/** RSS of a DP: its own process plus, with workers, every worker (pids from their log lines). */
function dpRss(dp) {
  const pids = new Set([dp.proc.child.pid, ...dp.proc.events.filter((e) => e.event === 'config_applied').map((e) => e.pid)]);
  return [...pids].reduce((sum, pid) => sum + (rssOf(pid) || 0), 0);
}

/**
 * Waits for the apply of a new snapshot on `dp` (started before `trigger`) while
 * a probe requests /bench; answers the CP's build and the DP's apply figures.
 */
async function applyUnderProbe(cp, dp, trigger) {
  const cpMark = cp.proc.events.length;
  const dpMark = dp.proc.events.length;
  const p = probe(`http://127.0.0.1:${dp.proxyPort}/bench`, { rate: 500 });
  await sleep(300);
  await trigger();
  const built = await cp.proc.waitForEvent('snapshot_built', 180_000, () => true, cpMark);
  const builtAt = Date.parse(built.time);
  const applied = await dp.proc.waitForEvent('snapshot_applied', 180_000, () => true, dpMark);
  // Workers apply after the primary; the primary answers `applied` only once they serve it.
  await sleep(300);
  const seen = await p.stop();
  if (seen.failed > 0) throw new Error(`${seen.failed} probe requests failed while the DP applied`);
  const events = dp.proc.events.slice(dpMark);
  const compiles = events.filter((e) => e.event === 'config_applied');
  // The DP's own view of its stall: the event loop's worst delay while applying (the primary's, or each worker's).
  const served = events.filter((e) => e.event === 'worker_config_served');
  const loopDelays = (served.length > 0 ? served : [applied]).map((e) => e.loop_delay_max_ms ?? NaN);
  return {
    buildMs: built.build_ms,
    bytes: built.bytes,
    applyMs: applied.duration_ms,
    compileMs: Math.max(...compiles.map((e) => e.compile_ms)),
    busyMs: Math.max(...compiles.map((e) => e.busy_ms ?? e.compile_ms)),
    longestSliceMs: Math.max(...compiles.map((e) => e.longest_slice_ms ?? e.compile_ms)),
    loopDelayMs: Math.max(...loopDelays),
    // The slowest request due between the CP's snapshot being built (so sent) and the DP serving it:
    // what the DP's receiving, decoding and applying cost traffic, without the CP's build and the
    // database writes before it, which share this machine's 2 cores.
    stallMs: seen.maxWithin(builtAt, Date.parse(applied.time)),
    // The slowest request of the whole probe, CP build and database writes included.
    probeMaxMs: seen.max,
    probeP50: seen.p50,
  };
}

async function scaleOne(cp, databaseUrl, size, echoPort, log) {
  const prefix = `scale-${size}`;
  const group = await cp.api.ok('POST', '/runtime-groups', { name: prefix });
  const svc = await cp.api.ok('POST', `/runtime-groups/${group.id}/services`, { name: `${prefix}-bench`, url: `http://127.0.0.1:${echoPort}` });
  const route = await cp.api.ok('POST', `/runtime-groups/${group.id}/services/${svc.id}/routes`, { name: `${prefix}-bench`, paths: ['/bench'] });
  const template = await cp.api.ok('POST', `/runtime-groups/${group.id}/plugins`, {
    name: 'rate-limiting',
    route: { id: route.id },
    config: { minute: 1_000_000, policy: 'local' },
  });
  const certs = await issueCertificate(cp.api, group.id);

  const single = await startClusterDp(`${prefix}-dp`, cp.clusterPort, certs);
  await single.proc.waitForEvent('snapshot_applied', 60_000);
  const one = await applyUnderProbe(cp, single, () =>
    bulkInsert(databaseUrl, { groupId: group.id, prefix, routes: size - 1, upstreamPort: echoPort, templatePluginId: template.id }),
  );
  one.dpRss = dpRss(single);
  one.cpRss = rssOf(cp.proc.child.pid);
  await single.proc.stop();

  const pooled = await startClusterDp(`${prefix}-dp-workers`, cp.clusterPort, certs, { GATEHOUSE_WORKERS: '2' });
  await pooled.proc.waitForEvent('snapshot_applied', 180_000);
  let n = 0;
  const workers = await applyUnderProbe(cp, pooled, () =>
    cp.api.ok('PATCH', `/runtime-groups/${group.id}/routes/${route.id}`, { paths: ['/bench', `/bench-${++n}`] }),
  );
  workers.dpRss = dpRss(pooled);
  await pooled.proc.stop();
  log(
    `  ${size} routes: build ${fmtMs(one.buildMs)}, ${fmtBytes(one.bytes)}, apply ${fmtMs(one.applyMs)} (compile ${fmtMs(one.busyMs)} CPU in slices of ≤ ${fmtMs(one.longestSliceMs)}), event loop ≤ ${fmtMs(one.loopDelayMs)} late, longest wait ${fmtMs(one.stallMs)} (whole probe ${fmtMs(one.probeMaxMs)}); with 2 workers: event loop ≤ ${fmtMs(workers.loopDelayMs)} late, longest wait ${fmtMs(workers.stallMs)} (whole probe ${fmtMs(workers.probeMaxMs)})`,
  );
  return { size, one, workers };
}

async function run(log) {
  log('scale: embedded PostgreSQL, one CP, echo upstream');
  const databaseUrl = await startDatabase();
  const cp = await startCp('cp', databaseUrl);
  const echoPort = await freePort();
  const echo = startNode('echo', 'packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${echoPort}` });
  await echo.waitForEvent('echo_listening', 15_000);

  const results = [];
  for (const size of SIZES) results.push(await scaleOne(cp, databaseUrl, size, echoPort, log));
  log(`scale: ${CONNECTIONS} simulated DP connections on one CP`);
  const conn = await holdConnections(cp, CONNECTIONS, log);

  const rows = [];
  const targets = [];
  for (const r of results) {
    const label = `${r.size.toLocaleString('en-US')} routes`;
    rows.push({
      suite: 'scale',
      figure: `${label}: CP snapshot build, size on the wire`,
      measured: `${fmtMs(r.one.buildMs)} · ${fmtBytes(r.one.bytes)} · CP RSS ${fmtBytes(r.one.cpRss)}`,
      ratio: '',
    });
    const compile = (x) => `compile ${fmtMs(x.busyMs)} CPU in slices of ≤ ${fmtMs(x.longestSliceMs)}`;
    rows.push({
      suite: 'scale',
      figure: `${label}: DP apply (1 process)`,
      measured: `apply ${fmtMs(r.one.applyMs)} (${compile(r.one)}) · event loop ≤ ${fmtMs(r.one.loopDelayMs)} late · longest request wait ${fmtMs(r.one.stallMs)} (whole probe ${fmtMs(r.one.probeMaxMs)}, p50 ${fmtMs(r.one.probeP50)}) · RSS ${fmtBytes(r.one.dpRss)}`,
      ratio: '',
    });
    rows.push({
      suite: 'scale',
      figure: `${label}: DP apply (2 workers)`,
      measured: `${compile(r.workers)} per worker · event loop ≤ ${fmtMs(r.workers.loopDelayMs)} late · longest request wait ${fmtMs(r.workers.stallMs)} (whole probe ${fmtMs(r.workers.probeMaxMs)}) · RSS ${fmtBytes(r.workers.dpRss)} (3 processes)`,
      ratio: `${fmtRatio(r.workers.stallMs / r.one.stallMs)} the 1-process wait`,
    });
    if (r.size === 10_000) {
      targets.push({
        suite: 'scale',
        what: '10,000-route apply: event-loop stall (1 process)',
        value: fmtMs(r.one.loopDelayMs),
        goal: '≤ 50 ms',
        met: r.one.loopDelayMs <= 50,
      });
      targets.push({
        suite: 'scale',
        what: '10,000-route apply: event-loop stall (2 workers)',
        value: fmtMs(r.workers.loopDelayMs),
        goal: '≤ 50 ms',
        met: r.workers.loopDelayMs <= 50,
      });
      targets.push({
        suite: 'scale',
        what: '10,000-route apply: longest request wait (1 process)',
        value: fmtMs(r.one.stallMs),
        goal: '≤ 50 ms',
        met: r.one.stallMs <= 50,
      });
      targets.push({
        suite: 'scale',
        what: '10,000-route apply: longest request wait (2 workers)',
        value: fmtMs(r.workers.stallMs),
        goal: '≤ 50 ms',
        met: r.workers.stallMs <= 50,
      });
    }
  }
  rows.push({
    suite: 'scale',
    figure: `one CP, ${conn.connections} DP connections (pings every ${conn.pingSeconds} s, stats every ${conn.statsSeconds} s)`,
    measured: `CP CPU ${(conn.cpuShare * 100).toFixed(1)}% of a core over ${conn.windowSeconds} s · ${conn.acked} stats batches acked · CP RSS ${fmtBytes(conn.cpRss)}`,
    ratio: `idle CP: ${(conn.idleShare * 100).toFixed(1)}% of a core`,
  });
  targets.push({
    suite: 'scale',
    what: `one CP with ${conn.connections} DP connections, CPU`,
    value: `${(conn.cpuShare * 100).toFixed(1)}%`,
    goal: '≤ 20% of a core',
    met: conn.cpuShare <= 0.2,
  });
  return { rows, targets, details: { results, conn }, note: `${os.availableParallelism()} cores shared by the CP, PostgreSQL, the DP and the probe.` };
}

module.exports = { run, name: 'scale' };
