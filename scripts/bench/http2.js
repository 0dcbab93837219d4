'use strict';
/**
 * HTTP/2 benchmark: h2load (-t1, BENCH_H2_CONNECTIONS connections ×
 * BENCH_H2_STREAMS concurrent streams) against the DP and nginx (one worker,
 * the same certificate), in front of the same HTTP/1.1 echo upstream: over
 * TLS 1.3 with ALPN h2, and cleartext with prior knowledge (h2c). A DP that
 * does not speak one of them yet is skipped with a note, and so is nginx
 * when it is not installed.
 */
const { freePort, tempDir } = require('./lib/processes');
const { startEcho } = require('./lib/echo');
const { startNginx } = require('./lib/nginx');
const { startCachedDp, startTlsDp, startProblem } = require('./lib/dp');
const { benchConfig, selfSigned } = require('./lib/gateway-config');
const { probeTls } = require('./lib/tls-probe');
const { getH2 } = require('./lib/h2-get');
const { h2load } = require('./lib/h2load');
const { findTool, installHint, ToolMissing } = require('./lib/tools');
const { inRounds, ratioOf, medianOf } = require('./lib/rounds');
const { fmtInt, fmtMs, fmtRatio } = require('./lib/stats');

const CONNECTIONS = Number(process.env.BENCH_H2_CONNECTIONS ?? 10);
const STREAMS = Number(process.env.BENCH_H2_STREAMS ?? 10);

/** Answers why the DP at `url` cannot be measured over HTTP/2, or null when it serves /bench over it. */
async function dpHttp2Problem(url, tlsPort) {
  if (tlsPort) {
    const alpn = (await probeTls(tlsPort, { alpn: ['h2', 'http/1.1'] }).catch((e) => ({ alpn: `no handshake (${e.message.split('\n')[0]})` }))).alpn;
    if (alpn !== 'h2') return `its TLS listener did not choose h2 by ALPN (answered ${alpn || 'no ALPN'})`;
  }
  const res = await getH2(url).catch((e) => ({ status: 0, body: e.message }));
  return res.status === 200 ? null : `GET /bench over HTTP/2 answered ${res.status || res.body}`;
}

/** The DP's two HTTP/2 targets, those it supports; notes for the others. */
async function startDpTargets(echo, cert, notes, log) {
  const config = benchConfig({ upstreamPort: echo });
  const targets = [];
  const tries = [
    async () => {
      const dp = await startTlsDp('dp-h2', config, { tls: cert, flags: 'http2' });
      return { key: 'dp-h2', label: 'DP, HTTP/2 over TLS 1.3 (ALPN h2)', url: `https://127.0.0.1:${dp.tlsPort}/bench`, tlsPort: dp.tlsPort };
    },
    async () => {
      const dp = await startCachedDp('dp-h2c', config, {}, { flags: 'http2' });
      return { key: 'dp-h2c', label: 'DP, cleartext HTTP/2 (prior knowledge)', url: `http://127.0.0.1:${dp.proxyPort}/bench` };
    },
  ];
  for (const attempt of tries) {
    let target;
    let problem;
    try {
      target = await attempt();
      problem = await dpHttp2Problem(target.url, target.tlsPort);
    } catch (err) {
      problem = `the DP did not start with the \`http2\` listen flag (${startProblem(err)})`;
    }
    if (problem === null) targets.push(target);
    else {
      const note = `${target?.key ?? 'a DP target'} skipped: ${problem}; HTTP/2 on the DP is issue #17's.`;
      notes.push(note);
      log(`  ${note}`);
    }
  }
  return targets;
}

async function startNginxTargets(echo, cert, notes, log) {
  try {
    const tlsPort = await freePort();
    await startNginx(tlsPort, echo, { tls: cert, http2: true });
    const plainPort = await freePort();
    await startNginx(plainPort, echo, { http2: true });
    return [
      { key: 'nginx-h2', label: 'nginx, HTTP/2 over TLS 1.3 (ALPN h2), 1 worker', url: `https://127.0.0.1:${tlsPort}/bench` },
      { key: 'nginx-h2c', label: 'nginx, cleartext HTTP/2 (prior knowledge), 1 worker', url: `http://127.0.0.1:${plainPort}/bench` },
    ];
  } catch (err) {
    if (!(err instanceof ToolMissing)) throw err;
    notes.push(`nginx skipped: ${err.message}.`);
    log(`  nginx skipped: ${err.message}`);
    return [];
  }
}

async function run(log) {
  if (!findTool('h2load')) {
    log(`http2: skipped, ${installHint('h2load')}`);
    return { rows: [], targets: [], note: `Not measured: ${installHint('h2load')}.` };
  }
  log('http2: starting the upstream, DPs with HTTP/2 listeners and nginx with one certificate');
  const echo = await startEcho();
  const cert = selfSigned(tempDir('gatehouse-bench-h2-'));
  const notes = [];
  const targets = [...(await startDpTargets(echo, cert, notes, log)), ...(await startNginxTargets(echo, cert, notes, log))];
  const measure = (t, seconds) => h2load(t.url, { seconds, connections: CONNECTIONS, streams: STREAMS });
  // A fixed number of requests first: h2load's timed mode can wait forever on a
  // fresh Node server whose first streams are still unanswered when the time is up.
  for (const t of targets) await h2load(t.url, { count: CONNECTIONS * STREAMS * 20, connections: CONNECTIONS, streams: STREAMS });
  const samples = await inRounds(targets, measure, log);
  const rows = targets.map((t) => ({
    suite: 'http2',
    figure: t.label,
    measured: `${fmtInt(medianOf(samples[t.key]))} req/s · mean ${fmtMs(medianOf(samples[t.key], 'mean'))} (${CONNECTIONS} connections × ${STREAMS} streams)`,
    ratio: '',
  }));
  const pair = (figure, a, b) => {
    if (samples[a] && samples[b]) rows.push({ suite: 'http2', figure, measured: fmtRatio(ratioOf(samples[a], samples[b])), ratio: '' });
  };
  pair('DP vs nginx, HTTP/2 over TLS (same certificate)', 'dp-h2', 'nginx-h2');
  pair('DP vs nginx, cleartext HTTP/2', 'dp-h2c', 'nginx-h2c');
  return { rows, targets: [], details: samples, ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

module.exports = { run, name: 'http2' };
