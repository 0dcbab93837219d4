'use strict';
/**
 * Proxy benchmark: requests/s and p50/p99 at saturation (wrk -t1 -c50), and
 * p99 at a fixed 1,000 req/s, for the echo upstream called directly, a bare
 * http-proxy-3 passthrough (the floor), nginx (the bar), HAProxy, Caddy,
 * @fastify/http-proxy (lib/peers.js) and data planes in
 * several shapes. Every target runs in every round, in a rotated order (A B
 * A B …), and each figure is the median over rounds, so a burst of noise
 * from the shared machine lands on one sample, not on one target.
 */
const os = require('node:os');
const { wrk, paced } = require('./lib/load');
const { startEcho, startMultiEcho } = require('./lib/echo');
const { startPeers, PEERS, PEER_ORDER } = require('./lib/peers');
const { startCachedDp } = require('./lib/dp');
const { benchConfig, BENCH_KEY } = require('./lib/gateway-config');
const { authTargets } = require('./lib/auth-plugins');
const { median, fmtInt, fmtMs, fmtRatio } = require('./lib/stats');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const PACED_RATE = 1000;

/** An HTTP log receiver that reads each body and answers 200 (http-log's endpoint); answers its port. */
function startLogReceiver() {
  const server = require('node:http').createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => (server.unref(), resolve(server.address().port))));
}

/** The data planes: key, label, and how to start one in front of the echo at `echo` (answers its proxy port). */
function dataPlanes(echo, workers) {
  const one = benchConfig({ upstreamPort: echo });
  const dp = (name, config, env) => async () => (await startCachedDp(name, config, env)).proxyPort;
  // Lua (docs/PLUGINS.md): a request-transformer template, and a post-function setting a header.
  const template = ['request-transformer', { add: { headers: ['x-bench-user:$(headers["user-agent"] or "none")'] } }];
  const lua = ['post-function', { access: ['kong.service.request.set_header("x-bench-lua", kong.request.get_method())'] }];
  const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  const list = [
    { key: 'dp', label: 'DP, 1 route, analytics on', start: dp('dp-1', one) },
    { key: 'dp-off', label: 'DP, 1 route, analytics off', start: dp('dp-off', one, { GATEHOUSE_ANALYTICS: 'off' }) },
    { key: 'dp-1k', label: 'DP, 1,000 routes', start: dp('dp-1k', benchConfig({ upstreamPort: echo, extraRoutes: 1000 })) },
    { key: 'dp-10k', label: 'DP, 10,000 routes', start: dp('dp-10k', benchConfig({ upstreamPort: echo, extraRoutes: 10_000 })) },
    {
      key: 'dp-plugins',
      label: 'DP, key-auth + rate-limiting (local)',
      start: dp('dp-plugins', benchConfig({ upstreamPort: echo, withPlugins: true })),
      headers: { apikey: BENCH_KEY },
    },
    ...authTargets(echo, dp),
    {
      key: 'dp-template',
      label: 'DP, request-transformer $(…) template',
      start: dp('dp-template', benchConfig({ upstreamPort: echo, routePlugins: [template] })),
    },
    { key: 'dp-lua', label: 'DP, post-function (one header)', start: dp('dp-lua', benchConfig({ upstreamPort: echo, routePlugins: [lua] })) },
    {
      // http-log (docs/PLUGINS.md) to a receiver in this process answering 200, batches of up to 100 entries.
      key: 'dp-http-log',
      label: 'DP, http-log (batches of 100)',
      start: async () => {
        const port = await startLogReceiver();
        const httpLog = ['http-log', { http_endpoint: `http://127.0.0.1:${port}/logs`, queue: { max_batch_size: 100, max_coalescing_delay: 0.2 } }];
        return dp('dp-http-log', benchConfig({ upstreamPort: echo, routePlugins: [httpLog] }))();
      },
    },
    {
      // An upstream of three targets (one echo process on 127.0.0.1–3, the capacity of one host) against `dp`.
      key: 'dp-upstream',
      label: 'DP, upstream of 3 targets (round-robin)',
      start: async () => {
        const multi = await startMultiEcho(hosts);
        return dp('dp-upstream', benchConfig({ upstreamPort: multi, balancedOver: hosts }))();
      },
    },
  ];
  if (workers > 1)
    list.push({ key: 'dp-workers', label: `DP, 1 route, ${workers} workers`, start: dp('dp-workers', one, { GATEHOUSE_WORKERS: String(workers) }) });
  // Only for the adjacent pairs against `dp` (stats flushed every 0.8 s, the default), not in the rounds.
  list.push({
    key: 'dp-flush5s',
    label: 'DP, 1 route, stats flushed every 5 s',
    start: dp('dp-flush5s', one, { GATEHOUSE_STATS_FLUSH_INTERVAL_MS: '5000' }),
    pairOnly: true,
  });
  return list;
}

/**
 * The targets `want(key)` selects (BENCH_ONLY), started once; answers
 * `{targets: [{key, label, url, headers}], notes}` (notes: peers skipped).
 */
async function startTargets(log, want) {
  const echo = await startEcho();
  const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
  const t = [];
  const add = (key, label, port, extra = {}) => t.push({ key, label, url: `http://127.0.0.1:${port}/bench`, headers: {}, ...extra });
  if (want('direct')) add('direct', 'echo upstream, direct', echo);
  const peers = await startPeers(echo, log, want);
  for (const p of peers.started) add(p.key, p.label, p.port);
  log('  starting data planes (1, 1,000 and 10,000 routes; plugins; analytics off; workers)…');
  for (const d of dataPlanes(echo, workers).filter((x) => want(x.key))) {
    add(d.key, d.label, await d.start(), { headers: d.headers ?? {}, pairOnly: d.pairOnly === true });
  }
  return { targets: t, notes: peers.notes };
}

/** Runs the benchmark; answers `{rows, targets, details}` for the report. */
/** A failed measurement names its target, not only its port. */
function named(target, measurement) {
  return measurement.catch((err) => {
    throw new Error(`${target.key}: ${err.message}`, { cause: err });
  });
}

async function run(log) {
  log('proxy: starting the upstream, the peers (floor, nginx, HAProxy, Caddy, @fastify/http-proxy) and the data planes');
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
  const all = await startTargets(log, (key) => only === null || only.has(key));
  const started = all.targets;
  const targets = started.filter((t) => !t.pairOnly);
  log(`proxy: warm-up (1 s each), then ${ROUNDS} rounds of ${SECONDS} s per target at saturation (each after 1 s unmeasured)`);
  for (const t of targets) await wrk(t.url, { seconds: 1, headers: t.headers });
  const sat = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + r) % targets.length];
      // An unmeasured second first: the upstream shared by every target is still
      // collecting the garbage of the previous target's run (nginx leaves it the most).
      await named(t, wrk(t.url, { seconds: 1, headers: t.headers }));
      sat[t.key].push(await named(t, wrk(t.url, { seconds: SECONDS, headers: t.headers })));
    }
    log(`  round ${r + 1}/${ROUNDS}: ${targets.map((t) => `${t.key} ${fmtInt(sat[t.key][r]?.rps)}`).join(', ')}`);
  }
  log(`proxy: p99 at a fixed ${PACED_RATE} req/s (${Math.max(2, ROUNDS - 1)} rounds of 3 s)`);
  const lat = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (let r = 0; r < Math.max(2, ROUNDS - 1); r++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + r) % targets.length];
      const res = await paced(t.url, { rate: PACED_RATE, seconds: 3, headers: t.headers });
      if (res.failed > 0) throw new Error(`paced run on ${t.key}: ${res.failed} requests failed`);
      lat[t.key].push(res);
    }
  }
  const pairs = await pairedRatios(
    log,
    targets.find((t) => t.key === 'dp'),
    targets.find((t) => t.key === 'dp-off'),
  );
  // Issue #14 finding 9: the spool written every 0.8 s (the default) against every 5 s (the old default).
  const flushPairs = await pairedRatios(
    log,
    targets.find((t) => t.key === 'dp'),
    started.find((t) => t.key === 'dp-flush5s'),
  );
  const fig = {};
  for (const t of targets) {
    fig[t.key] = {
      label: t.label,
      rps: median(sat[t.key].map((s) => s.rps)),
      p50: median(sat[t.key].map((s) => s.p50)),
      p99: median(sat[t.key].map((s) => s.p99)),
      pacedP50: median(lat[t.key].map((s) => s.p50)),
      pacedP99: median(lat[t.key].map((s) => s.p99)),
      samples: sat[t.key].map((s) => Math.round(s.rps)),
      rounds: sat[t.key].map((s) => s.rps),
      pacedRounds: lat[t.key].map((s) => s.p99),
    };
  }
  const res = summarize(fig, pairs, flushPairs);
  return all.notes.length > 0 ? { ...res, note: all.notes.join(' ') } : res;
}

/**
 * A small difference (analytics costs ~0.15 µs of a ~25 µs request) drowns
 * in the spread of a 9-target round, where two samples stand up to half a
 * minute apart. So the two are also measured in adjacent pairs, the order
 * flipped every pair, each after 1 s unmeasured: the median of a/b over the pairs.
 */
async function pairedRatios(log, a, b) {
  if (!a || !b) return null;
  const n = ROUNDS * 2;
  log(`proxy: ${a.key} vs ${b.key} in ${n} adjacent pairs of ${SECONDS} s`);
  const ratios = [];
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const rps = {};
    for (const t of order) {
      await wrk(t.url, { seconds: 1, headers: t.headers });
      rps[t.key] = (await wrk(t.url, { seconds: SECONDS, headers: t.headers })).rps;
    }
    ratios.push(rps[a.key] / rps[b.key]);
  }
  return { ratio: median(ratios), n };
}

/**
 * `a` against `b`: the median over rounds of the ratio of the two samples of
 * one round (taken seconds apart), so load that drifts across the run
 * cancels out instead of landing on whichever target it hit.
 */
function ratio(a, b) {
  return median(a.rounds.map((x, r) => x / b.rounds[r]));
}

/** p99 added over direct at the fixed rate: the median over rounds of the difference within a round. */
function added(a, direct) {
  return median(a.pacedRounds.map((x, r) => x - direct.pacedRounds[r]));
}

/** The flush A/B as a report row: 0.8 s over 5 s, so 1.00× means no cost. */
function flushRow(flushPairs) {
  return {
    suite: 'proxy',
    figure: 'stats flushed every 0.8 s (default) vs every 5 s, adjacent pairs',
    measured: `${fmtRatio(flushPairs.ratio)} (median of ${flushPairs.n} pairs)`,
    ratio: '',
  };
}

/** The issue's side-by-side: each peer's req/s relative to the DP (1 route, analytics on), median of per-round ratios. */
function peersRow(fig) {
  const names = Object.fromEntries(PEERS.map((p) => [p.key, p.name]));
  const cells = PEER_ORDER.filter((k) => fig[k]).map((k) => `${names[k]} ${fmtRatio(ratio(fig[k], fig.dp))}`);
  return { suite: 'proxy', figure: 'peers relative to the DP (req/s, same rounds)', measured: ['DP 1.00×', ...cells].join(' · '), ratio: '' };
}

function summarize(fig, pairs, flushPairs) {
  if (!fig.bare || !fig.direct || !fig.dp) {
    // A partial run (BENCH_ONLY): figures only, no ratios to absent baselines.
    const rows = Object.values(fig).map((f) => ({
      suite: 'proxy',
      figure: f.label,
      measured: `${fmtInt(f.rps)} req/s (samples ${f.samples.join(', ')}) · p99 @1k/s ${fmtMs(f.pacedP99)}`,
      ratio: '',
    }));
    if (flushPairs) rows.push(flushRow(flushPairs));
    return { rows, targets: [], details: fig };
  }
  const rows = [];
  const direct = fig.direct;
  for (const [key, f] of Object.entries(fig)) {
    const vsNginx = fig.nginx ? ` · ${fmtRatio(ratio(f, fig.nginx))} nginx` : '';
    const ratios = key === 'direct' ? '' : `${fmtRatio(ratio(f, fig.bare))} floor${vsNginx} · ${fmtRatio(ratio(f, direct))} direct`;
    const over = key === 'direct' ? '' : ` (${fmtMs(added(f, direct))} over direct)`;
    rows.push({
      suite: 'proxy',
      figure: f.label,
      measured: `${fmtInt(f.rps)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)} · p99 @1k/s ${fmtMs(f.pacedP99)}${over}`,
      ratio: ratios,
    });
  }
  rows.push(peersRow(fig));
  const targets = [];
  const check = (what, value, goal, met) => targets.push({ suite: 'proxy', what, value, goal, met });
  const atLeast = (what, a, b, goal) => {
    if (!a || !b) return; // a partial run (BENCH_ONLY) without one of the two
    const r = ratio(a, b);
    check(what, fmtRatio(r), `≥ ${goal.toFixed(2)}×`, r >= goal);
  };
  atLeast('DP (routing + analytics) vs bare http-proxy', fig.dp, fig.bare, 0.9);
  atLeast('DP (routing + analytics) vs nginx', fig.dp, fig.nginx, 0.4);
  if (fig['dp-workers']) {
    atLeast(`${fig['dp-workers'].label} vs bare http-proxy`, fig['dp-workers'], fig.bare, 0.9);
    atLeast(`${fig['dp-workers'].label} vs nginx`, fig['dp-workers'], fig.nginx, 0.4);
  }
  const extra = added(fig.dp, direct);
  check('p99 added latency at 1,000 req/s (DP − direct)', fmtMs(extra), '≤ 1 ms', extra <= 1);
  atLeast('10,000 routes vs 1 route', fig['dp-10k'], fig.dp, 0.9);
  atLeast('jwt vs no plugins', fig['dp-jwt'], fig.dp, 0.85);
  atLeast('hmac-auth vs no plugins', fig['dp-hmac'], fig.dp, 0.85);
  // Reported, not judged: analytics costs ~1 % of the DP's busy time in a CPU
  // profile (0.15 µs per request), far below what wrk can resolve here (±10 %).
  if (pairs)
    rows.push({ suite: 'proxy', figure: 'analytics on vs off, adjacent pairs', measured: `${fmtRatio(pairs.ratio)} (median of ${pairs.n} pairs)`, ratio: '' });
  if (flushPairs) {
    rows.push(flushRow(flushPairs));
    // "No measurable cost": within wrk's noise here (the analytics pair, ~1 % of busy time, reads 0.95–1.05×).
    check('stats flushed every 0.8 s vs 5 s (adjacent pairs)', fmtRatio(flushPairs.ratio), '≥ 0.95×', flushPairs.ratio >= 0.95);
  }
  atLeast('key-auth + rate-limiting vs no plugins', fig['dp-plugins'], fig.dp, 0.85);
  atLeast('upstream of 3 targets vs one host', fig['dp-upstream'], fig.dp, 0.95);
  atLeast('http-log vs no plugins', fig['dp-http-log'], fig.dp, 0.9);
  return { rows, targets, details: fig };
}

module.exports = { run, name: 'proxy' };
