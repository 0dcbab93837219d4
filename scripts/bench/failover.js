'use strict';
/**
 * Failover benchmark (#16): the time from a target's death to its last
 * routed request. A DP balances `/bench` round-robin over an upstream of
 * three echo processes (one port each) under steady load at a fixed rate;
 * one of them is killed with SIGKILL at a known instant. Measured once with
 * passive checks only and once with active checks only.
 *
 * "Its last routed request" is the last try the DP started on the dead
 * target: every try on it after the kill fails (refused, or reset for a try
 * in flight at the kill), and the DP logs each failed try of a balanced
 * target (`upstream_target_failure`, source `passive`, stamped by the DP's
 * clock, which is this machine's). The figure is the time from the kill
 * signal to the last such line. Retries send each of those requests on to a
 * live target, so the client sees no failure; the run counts the client
 * requests that failed anyway.
 */
const http = require('node:http');
const path = require('node:path');
const { freePort, startNode, sleep, ROOT } = require('./lib/processes');
const { startCachedDp } = require('./lib/dp');
const { benchConfig } = require('./lib/gateway-config');
const { fmtInt, fmtMs } = require('./lib/stats');

const { gatewayConfig, upstreamInput } = require(path.join(ROOT, 'packages/protocol/dist/index.js'));

const RATE = Number(process.env.BENCH_FAILOVER_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_FAILOVER_SECONDS ?? 3);
const KILL_AFTER_MS = 1000;

/** The two health-check configurations measured (Kong's `healthchecks` record). */
const SETUPS = [
  { key: 'passive', label: 'passive checks (tcp_failures 3)', healthchecks: { passive: { unhealthy: { tcp_failures: 3, timeouts: 3 } } } },
  {
    key: 'active',
    label: 'active checks only (http every 1 s, tcp_failures 2)',
    healthchecks: { active: { http_path: '/', timeout: 1, healthy: { interval: 1, successes: 2 }, unhealthy: { interval: 1, tcp_failures: 2, timeouts: 2 } } },
  },
];

async function startEchoes(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const proc = startNode(`echo-${i}`, 'packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${port}` });
    await proc.waitForEvent('echo_listening', 15_000);
    out.push({ proc, port, target: `127.0.0.1:${port}` });
  }
  return out;
}

/** `/bench` balanced over `targets` with `healthchecks`, in the stored shape (benchConfig's, its one target replaced). */
function failoverConfig(targets, healthchecks) {
  const config = benchConfig({ upstreamPort: targets[0].port, balancedOver: ['127.0.0.1'] });
  const [up] = config.upstreams;
  Object.assign(up, upstreamInput.parse({ name: up.name, healthchecks }));
  const [first] = config.targets;
  config.targets = targets.map((t, i) => ({
    ...first,
    id: `${first.id.slice(0, -2)}${String(i).padStart(2, '0')}`,
    target: t.target,
    created_at: first.created_at + i,
  }));
  const parsed = gatewayConfig.safeParse(config);
  if (!parsed.success) throw new Error(`failover config does not pass the protocol schema: ${parsed.error.message}`);
  return config;
}

/**
 * GETs `url` at `rate` per second for `seconds` over keep-alive connections;
 * `onTick(elapsedMs)` runs on every 1 ms tick. Answers every request's
 * outcome: `{ok, target, at}` (the target is the echo's view of the Host the DP sent).
 */
function steadyLoad(url, { rate, seconds, onTick }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const results = [];
  let sent = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (results.length < total) return;
      agent.destroy();
      resolve(results);
    };
    const fire = () => {
      const req = http.get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.once('end', () => {
          let target = null;
          try {
            target = JSON.parse(body).headers.host;
          } catch {
            // not the echo's answer (a gateway error page)
          }
          results.push({ ok: res.statusCode === 200, target, at: Date.now() });
          done();
        });
      });
      req.once('error', () => {
        results.push({ ok: false, target: null, at: Date.now() });
        done();
      });
    };
    const t0 = performance.now();
    const tick = () => {
      const now = performance.now();
      onTick(now - t0);
      while (sent < total && (sent * 1000) / rate <= now - t0) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

async function measure(setup, log) {
  const echoes = await startEchoes(3);
  const dp = await startCachedDp(`dp-failover-${setup.key}`, failoverConfig(echoes, setup.healthchecks));
  const dead = echoes[1];
  const url = `http://127.0.0.1:${dp.proxyPort}/bench`;
  // Warm the pools and the active checker's first rounds.
  await steadyLoad(url, { rate: 200, seconds: 1, onTick: () => {} });
  let killedAt = null;
  let exitedAt = null;
  dead.proc.child.once('exit', () => (exitedAt = Date.now()));
  const results = await steadyLoad(url, {
    rate: RATE,
    seconds: SECONDS,
    onTick: (ms) => {
      if (killedAt !== null || ms < KILL_AFTER_MS) return;
      killedAt = Date.now();
      dead.proc.child.kill('SIGKILL');
    },
  });
  await sleep(200);
  const tries = dp.proc.events.filter((e) => e.event === 'upstream_target_failure' && e.source === 'passive' && e.target === dead.target);
  const times = tries.map((e) => Date.parse(e.time));
  const lastTry = tries.length === 0 ? null : Math.max(...times);
  const firstTry = tries.length === 0 ? null : Math.min(...times);
  const ejected = dp.proc.events.find((e) => e.event === 'upstream_health_changed' && e.unhealthy.includes(dead.target));
  const lastServed = Math.max(...results.filter((r) => r.ok && r.target === dead.target).map((r) => r.at));
  const failed = results.filter((r) => !r.ok).length;
  const r = {
    label: setup.label,
    requests: results.length,
    failed,
    triesAfterKill: tries.length,
    toLastTry: lastTry === null ? 0 : lastTry - killedAt,
    firstToLast: lastTry === null ? 0 : lastTry - firstTry,
    toExit: exitedAt - killedAt,
    toEjected: ejected ? Date.parse(ejected.time) - killedAt : NaN,
    lastServed: lastServed - killedAt,
  };
  log(
    `  ${setup.key}: kill → last routed try ${fmtMs(r.toLastTry)} (${r.triesAfterKill} failed tries, the first ${fmtMs(r.firstToLast)} before the last), → ejected ${fmtMs(r.toEjected)}; its last answer at ${fmtMs(r.lastServed)}, its exit seen at ${fmtMs(r.toExit)}; ${r.failed} of ${fmtInt(r.requests)} client requests failed`,
  );
  await dp.proc.stop();
  for (const e of echoes) await e.proc.stop();
  return r;
}

async function run(log) {
  log(`failover: 3 echo targets, ${RATE} req/s for ${SECONDS} s, one target SIGKILLed after ${KILL_AFTER_MS} ms`);
  const results = [];
  for (const setup of SETUPS) results.push(await measure(setup, log));
  const rows = results.map((r) => ({
    suite: 'failover',
    figure: `target SIGKILLed under ${fmtInt(RATE)} req/s, ${r.label}: kill → its last routed request`,
    measured: `${fmtMs(r.toLastTry)} (${r.triesAfterKill} tries failed on it, each retried, over ${fmtMs(r.firstToLast)}; ejected at ${fmtMs(r.toEjected)}; its last answer at ${fmtMs(r.lastServed)}, exit seen at ${fmtMs(r.toExit)}) · ${r.failed} of ${fmtInt(r.requests)} client requests failed`,
    ratio: '',
  }));
  const targets = results.map((r) => ({
    suite: 'failover',
    what: `client requests failed when a target dies, ${r.label}`,
    value: String(r.failed),
    goal: '0',
    met: r.failed === 0,
  }));
  return { rows, targets, details: results };
}

module.exports = { run, name: 'failover' };
