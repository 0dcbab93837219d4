'use strict';
/**
 * Many data planes against one CP without running many DP processes: each
 * simulated DP is a real mTLS WebSocket with a certificate the API issued,
 * speaking the cluster protocol as a DP does (hello with the DP's plugin
 * list, `applied` for each snapshot, a ping every 10 s, a stats batch every
 * 5 s). The CP's CPU share is read from /proc over a window.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, sleep } = require('./processes');
const { issueCertificate, rssOf, cpuSecondsOf } = require('./control-plane');

const WebSocket = require(path.join(ROOT, 'node_modules/ws'));
const { PLUGIN_HANDLERS } = require(path.join(ROOT, 'packages/data-plane/dist/plugins/handlers.js'));

const PING_MS = 10_000;
const STATS_MS = 5_000;
const WINDOW_S = Number(process.env.BENCH_CONNECTION_WINDOW ?? 20);

function simulate(port, tls, ids, counters) {
  const nodeId = crypto.randomUUID();
  const query = new URLSearchParams({ node_id: nodeId, node_hostname: `sim-${nodeId.slice(0, 8)}`, node_version: '0.1.0' });
  const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/outlet?${query}`, { ...tls, handshakeTimeout: 20_000 });
  const timers = [];
  let hash = null;
  const send = (m) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));
  const ready = new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data, binary) => {
      if (binary) return; // a gzip snapshot; the small config here always goes as text
      const m = JSON.parse(data.toString('utf8'));
      if (m.type === 'snapshot') {
        hash = m.hash;
        send({ type: 'applied', version: m.version, hash: m.hash });
        resolve();
      } else if (m.type === 'stats_ack') counters.acked++;
    });
    ws.once('open', () => {
      send({
        type: 'hello',
        node_id: nodeId,
        hostname: `sim-${nodeId.slice(0, 8)}`,
        version: '0.1.0',
        config_hash: null,
        plugins: [...PLUGIN_HANDLERS.keys()].sort(),
      });
      // Spread the heartbeats over the interval, as independent DPs would be.
      const offset = Math.random();
      timers.push(setTimeout(() => timers.push(setInterval(() => send({ type: 'ping', hash }), PING_MS)), offset * PING_MS));
      timers.push(
        setTimeout(
          () =>
            timers.push(
              setInterval(() => {
                const minute = Math.floor(Date.now() / 60_000) * 60;
                send({
                  type: 'stats',
                  batch_id: crypto.randomUUID(),
                  buckets: [
                    {
                      minute,
                      route_id: ids.route,
                      service_id: ids.service,
                      consumer_id: null,
                      status: 200,
                      count: 500,
                      latency_sum: 1500,
                      latency_max: 20,
                      latency_hist: { 50: 500 },
                      upstream_latency_sum: 1000,
                      upstream_latency_max: 15,
                      upstream_latency_hist: { 40: 500 },
                    },
                  ],
                });
              }, STATS_MS),
            ),
          offset * STATS_MS,
        ),
      );
    });
  });
  return {
    ready,
    close: () => {
      for (const t of timers) (clearTimeout(t), clearInterval(t));
      ws.terminate();
    },
  };
}

async function cpuShare(pid, seconds) {
  const c0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return (cpuSecondsOf(pid) - c0) / ((performance.now() - t0) / 1000);
}

/**
 * Opens `count` simulated DPs on a fresh group of `cp`, waits until each got
 * its snapshot, then measures the CP's CPU share for a window; answers the
 * figures (and the CP's idle share, measured before, as the baseline).
 */
async function holdConnections(cp, count, log) {
  const group = await cp.api.ok('POST', '/runtime-groups', { name: `connections-${count}` });
  const svc = await cp.api.ok('POST', `/runtime-groups/${group.id}/services`, { name: 'conn-svc', url: 'http://127.0.0.1:9' });
  const route = await cp.api.ok('POST', `/runtime-groups/${group.id}/services/${svc.id}/routes`, { name: `conn-route-${count}`, paths: ['/c'] });
  const files = await issueCertificate(cp.api, group.id);
  const tls = { cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key), ca: fs.readFileSync(files.ca) };
  const pid = cp.proc.child.pid;
  const idleShare = await cpuShare(pid, 5);
  const counters = { acked: 0 };
  const sims = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, () => simulate(cp.clusterPort, tls, { route: route.id, service: svc.id }, counters));
    sims.push(...batch);
    await Promise.all(batch.map((s) => s.ready));
  }
  log(`  ${count} connected; settling, then measuring the CP's CPU for ${WINDOW_S} s`);
  await sleep(STATS_MS + 1000);
  const ackedBefore = counters.acked;
  const share = await cpuShare(pid, WINDOW_S);
  const acked = counters.acked - ackedBefore;
  const cpRss = rssOf(pid);
  for (const s of sims) s.close();
  return { connections: count, cpuShare: share, idleShare, acked, cpRss, windowSeconds: WINDOW_S, pingSeconds: PING_MS / 1000, statsSeconds: STATS_MS / 1000 };
}

module.exports = { holdConnections };
