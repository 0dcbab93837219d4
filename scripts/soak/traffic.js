'use strict';
// Mixed proxy traffic at a steady rate: each kind of request knows the
// answers it asks for (a wrong key asks for 401, an unknown path for 404),
// so any other answer, or a failed connection, is an error the gateway made.
const http = require('node:http');
const { API_KEY } = require('./config');

const BODY = JSON.stringify({ payload: 'x'.repeat(2048) });

/** Request kinds, their weights, and the statuses each may get. */
const KINDS = [
  { name: 'get', weight: 40, method: 'GET', path: '/mock/soak?q=1', expect: [200] },
  { name: 'keyed', weight: 15, method: 'GET', path: '/keyed/x', headers: { apikey: API_KEY }, expect: [200] },
  { name: 'wrong-key', weight: 5, method: 'GET', path: '/keyed/x', headers: { apikey: 'nope' }, expect: [401] },
  { name: 'no-key', weight: 5, method: 'GET', path: '/keyed/x', expect: [401] },
  { name: 'limited', weight: 10, method: 'GET', path: '/limited/x', expect: [200, 429] },
  { name: 'post-body', weight: 10, method: 'POST', path: '/body/x', headers: { 'content-type': 'application/json' }, body: BODY, expect: [200] },
  { name: 'upstream-503', weight: 5, method: 'GET', path: '/mock/status/503', expect: [503] },
  { name: 'no-route', weight: 5, method: 'GET', path: '/nowhere', expect: [404] },
  { name: 'wrong-method', weight: 5, method: 'DELETE', path: '/mock', expect: [404] },
  // The newest churn route (scripts/soak/config.js): 404 until its snapshot reaches the DP, or once removed.
  { name: 'churn', weight: 5, method: 'GET', path: (churn) => `/churn-${churn.newest}/x`, expect: [200, 404] },
];
const TOTAL_WEIGHT = KINDS.reduce((n, k) => n + k.weight, 0);

function pick(i) {
  let x = (i * 7919) % TOTAL_WEIGHT;
  for (const k of KINDS) {
    if (x < k.weight) return k;
    x -= k.weight;
  }
  return KINDS[0];
}

function send(agent, proxyUrl, kind, churn) {
  const u = new URL(typeof kind.path === 'function' ? kind.path(churn) : kind.path, proxyUrl);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: kind.method,
        headers: { ...kind.headers, ...(kind.body ? { 'content-length': Buffer.byteLength(kind.body) } : {}) },
        agent,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', (err) => resolve(`error:${err.code || err.message}`));
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end(kind.body);
  });
}

/**
 * Runs `ratePerSecond` requests a second over `concurrency` keep-alive
 * connections until `stop()`; `churn.newest` (set by the caller) is the
 * newest churn route's number.
 */
function startTraffic(proxyUrl, { ratePerSecond, concurrency }) {
  const churn = { newest: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const counts = { total: 0, unexpected: 0, byKind: {}, unexpectedSamples: [] };
  let running = true;
  let seq = 0;
  const interval = (1000 * concurrency) / ratePerSecond;
  const worker = async () => {
    let next = Date.now();
    while (running) {
      const kind = pick(seq++);
      const status = await send(agent, proxyUrl, kind, churn);
      counts.total++;
      const byStatus = (counts.byKind[kind.name] ??= {});
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (!kind.expect.includes(status)) {
        counts.unexpected++;
        if (counts.unexpectedSamples.length < 20) counts.unexpectedSamples.push({ kind: kind.name, status, at: new Date().toISOString() });
      }
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else next = Date.now();
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    counts,
    churn,
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

module.exports = { startTraffic };
