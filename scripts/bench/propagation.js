'use strict';
/**
 * Propagation benchmark: the time from an API write's answer to the change
 * serving on the data planes, over 50 changes each for one DP, for 20 DPs of
 * one group, and with two CP processes on one database (written on one, DPs
 * connected to the other, so the change travels through PostgreSQL
 * LISTEN/NOTIFY). Each change moves a route to a new path.
 *
 * "Serving" is the moment the DP's engine swapped the config in (its
 * `config_applied` log line, stamped by the DP's clock, which is this
 * machine's clock); every DP is then asked for the new path and must answer
 * 200, so a logged apply that does not serve fails the run.
 */
const { sleep } = require('./lib/processes');
const { get } = require('./lib/load');
const { startDatabase, startCp, issueCertificate, startClusterDp } = require('./lib/control-plane');
const { freePort, startNode } = require('./lib/processes');
const { quantile, median, fmtMs } = require('./lib/stats');

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const DPS = Number(process.env.BENCH_DPS ?? 20);

/** Moves the route to `/p<i>` through `api` and answers the ms from the API's answer until every DP serves it. */
async function change(api, routeId, i, dps) {
  const marks = dps.map((d) => d.proc.events.length);
  await api.ok('PATCH', `/runtime-groups/default/routes/${routeId}`, { paths: [`/p${i}`] });
  const answeredAt = Date.now();
  const applied = await Promise.all(dps.map((d, k) => d.proc.waitForEvent('config_applied', 15_000, (e) => e.version !== undefined, marks[k])));
  const worst = Math.max(...applied.map((e) => Date.parse(e.time) - answeredAt));
  for (const d of dps) {
    const res = await get(`http://127.0.0.1:${d.proxyPort}/p${i}`);
    if (res.status !== 200) throw new Error(`DP on :${d.proxyPort} logged the apply but answers ${res.status} for /p${i}`);
  }
  return worst;
}

async function measure(label, api, routeId, dps, log, offset) {
  const times = [];
  for (let i = 0; i < CHANGES; i++) {
    times.push(await change(api, routeId, offset + i, dps));
    await sleep(20);
  }
  log(`  ${label}: p50 ${fmtMs(quantile(times, 0.5))}, p99 ${fmtMs(quantile(times, 0.99))}`);
  return { label, p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: Math.max(...times), median: median(times) };
}

async function run(log) {
  log('propagation: embedded PostgreSQL, two CPs, echo upstream');
  const databaseUrl = await startDatabase();
  const cp1 = await startCp('cp-1', databaseUrl);
  const cp2 = await startCp('cp-2', databaseUrl);
  const echoPort = await freePort();
  const echo = startNode('echo', 'packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${echoPort}` });
  await echo.waitForEvent('echo_listening', 15_000);
  const svc = await cp1.api.ok('POST', '/runtime-groups/default/services', { name: 'echo', url: `http://127.0.0.1:${echoPort}` });
  const route = await cp1.api.ok('POST', `/runtime-groups/default/services/${svc.id}/routes`, { name: 'moving', paths: ['/p-start'] });
  const certs = await issueCertificate(cp1.api, 'default');

  log(`propagation: 1 DP, then ${DPS} DPs on cp-1, ${CHANGES} changes each`);
  const dps = [await startClusterDp('dp-0', cp1.clusterPort, certs)];
  await dps[0].proc.waitForEvent('snapshot_applied', 30_000);
  const results = [];
  results.push(await measure('1 DP, one CP', cp1.api, route.id, dps, log, 0));
  for (let i = 1; i < DPS; i++) dps.push(await startClusterDp(`dp-${i}`, cp1.clusterPort, certs));
  await Promise.all(dps.map((d) => d.proc.waitForEvent('snapshot_applied', 60_000)));
  results.push(await measure(`${DPS} DPs, one CP`, cp1.api, route.id, dps, log, 1000));
  results.push(await measure(`${DPS} DPs on cp-1, written on cp-2`, cp2.api, route.id, dps, log, 2000));

  const rows = results.map((r) => ({
    suite: 'propagation',
    figure: `API answer → serving: ${r.label}`,
    measured: `p50 ${fmtMs(r.p50)} · p99 ${fmtMs(r.p99)} · max ${fmtMs(r.max)} (${CHANGES} changes)`,
    ratio: r === results[0] ? '' : `${(r.p99 / results[0].p99).toFixed(2)}× the 1-DP p99`,
  }));
  const twenty = results[1];
  const twoCps = results[2];
  const targets = [
    { suite: 'propagation', what: `change to proxy, ${DPS} DPs, p99`, value: fmtMs(twenty.p99), goal: '≤ 300 ms', met: twenty.p99 <= 300 },
    { suite: 'propagation', what: `change to proxy, ${DPS} DPs across two CPs, p99`, value: fmtMs(twoCps.p99), goal: '≤ 300 ms', met: twoCps.p99 <= 300 },
  ];
  return { rows, targets, details: results };
}

module.exports = { run, name: 'propagation' };
