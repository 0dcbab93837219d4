'use strict';
/**
 * HTTPS benchmark: HTTP/1.1 over TLS 1.3 with keep-alive (wrk -t1 -c50, so
 * handshakes happen only at the start), the DP's TLS listener against nginx's
 * (one worker, `ssl_protocols TLSv1.3`) with the same ECDSA P-256
 * certificate, in front of the same echo upstream. The same two over plain
 * HTTP run in the same rounds, so the table also shows what TLS costs each,
 * and so does the bare http-proxy-3 floor over HTTPS (what Node's TLS costs).
 */
const { freePort, tempDir } = require('./lib/processes');
const { wrk } = require('./lib/load');
const { startEcho } = require('./lib/echo');
const { startNginx } = require('./lib/nginx');
const { startBareTls } = require('./lib/peers');
const { startTlsDp } = require('./lib/dp');
const { benchConfig, selfSigned } = require('./lib/gateway-config');
const { probeTls } = require('./lib/tls-probe');
const { ToolMissing } = require('./lib/tools');
const { inRounds, ratioOf, medianOf } = require('./lib/rounds');
const { fmtInt, fmtMs, fmtRatio } = require('./lib/stats');

async function startTargets(log) {
  const echo = await startEcho();
  const cert = selfSigned(tempDir('gatehouse-bench-https-'));
  const dp = await startTlsDp('dp-https', benchConfig({ upstreamPort: echo }), { tls: cert });
  const t = [
    { key: 'dp-https', label: 'DP, HTTPS (TLS 1.3, keep-alive)', url: `https://127.0.0.1:${dp.tlsPort}/bench`, tlsPort: dp.tlsPort },
    { key: 'dp-http', label: 'DP, plain HTTP (same process)', url: `http://127.0.0.1:${dp.proxyPort}/bench` },
  ];
  const bare = await startBareTls(echo, cert);
  t.push({ key: 'bare-https', label: 'bare http-proxy-3 over HTTPS (Node floor)', url: `https://127.0.0.1:${bare}/bench`, tlsPort: bare });
  const notes = [];
  try {
    const tlsPort = await freePort();
    await startNginx(tlsPort, echo, { tls: cert });
    const plainPort = await freePort();
    await startNginx(plainPort, echo);
    t.push({ key: 'nginx-https', label: 'nginx, HTTPS (TLS 1.3, keep-alive), 1 worker', url: `https://127.0.0.1:${tlsPort}/bench`, tlsPort });
    t.push({ key: 'nginx-http', label: 'nginx, plain HTTP, 1 worker', url: `http://127.0.0.1:${plainPort}/bench` });
  } catch (err) {
    if (!(err instanceof ToolMissing)) throw err;
    notes.push(`nginx skipped: ${err.message}.`);
    log(`  nginx skipped: ${err.message}`);
  }
  for (const x of t.filter((x) => x.tlsPort)) x.tls = await probeTls(x.tlsPort);
  return { targets: t, notes };
}

async function run(log) {
  log('https: starting the upstream, a DP and nginx with one certificate');
  const { targets, notes } = await startTargets(log);
  const samples = await inRounds(targets, (t, seconds) => wrk(t.url, { seconds }), log);
  const rows = targets.map((t) => ({
    suite: 'https',
    figure: t.label,
    measured: `${fmtInt(medianOf(samples[t.key]))} req/s · p50 ${fmtMs(medianOf(samples[t.key], 'p50'))} · p99 ${fmtMs(medianOf(samples[t.key], 'p99'))}${t.tls ? ` · ${t.tls.protocol}` : ''}`,
    ratio: '',
  }));
  const pair = (figure, a, b) => {
    if (samples[a] && samples[b]) rows.push({ suite: 'https', figure, measured: fmtRatio(ratioOf(samples[a], samples[b])), ratio: '' });
  };
  pair('DP vs nginx over HTTPS (same certificate)', 'dp-https', 'nginx-https');
  pair('DP vs nginx over plain HTTP (same rounds)', 'dp-http', 'nginx-http');
  pair('DP vs bare http-proxy-3 over HTTPS (Node floor)', 'dp-https', 'bare-https');
  pair('DP: HTTPS vs plain HTTP', 'dp-https', 'dp-http');
  pair('nginx: HTTPS vs plain HTTP', 'nginx-https', 'nginx-http');
  return { rows, targets: [], details: samples, ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

module.exports = { run, name: 'https' };
