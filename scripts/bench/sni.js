'use strict';
/**
 * SNI benchmark: what choosing a certificate by SNI costs with 1,000 of them.
 * Two DPs with a TLS listener: one whose group has one certificate (one SNI),
 * one whose group has 1,000 (one SNI each). A closed-loop client
 * (lib/handshakes.js) makes new TLS handshakes, no session resumption,
 * BENCH_SNI_CONCURRENCY at a time, each connection closed after its
 * handshake: against the first always with its one name, against the second
 * with the 1,000 names in turn. Figure: handshakes/s and the ratio
 * 1,000 / 1; nginx (one worker) with the one certificate runs in the same
 * rounds as a reference for the handshake rate itself. When this build's
 * schema or DP does not select certificates by SNI yet, the run says so and
 * measures nothing.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { freePort, tempDir } = require('./lib/processes');
const { startNginx } = require('./lib/nginx');
const { ToolMissing } = require('./lib/tools');
const { startEcho } = require('./lib/echo');
const { startTlsDp } = require('./lib/dp');
const { makeCertificates } = require('./lib/cert-factory');
const { sniConfig } = require('./lib/sni-config');
const { probeTls } = require('./lib/tls-probe');
const { rssOf } = require('./lib/control-plane');
const { inRounds, ratioOf, medianOf } = require('./lib/rounds');
const { fmtInt, fmtMs, fmtRatio, fmtBytes } = require('./lib/stats');

const COUNT = Number(process.env.BENCH_SNI_CERTIFICATES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_SNI_CONCURRENCY ?? 8);

/** Runs lib/handshakes.js; resolves its figures, refusing a run with failures or a wrong certificate. */
function handshakes(port, names, seconds, count = 0) {
  const args = [require.resolve('./lib/handshakes.js'), String(port), String(seconds), String(CONCURRENCY), names.join(','), ...(count ? [String(count)] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: (seconds + 30) * 1000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`handshakes on ${port} failed: ${err.message}\n${stderr}`));
      const r = JSON.parse(stdout.trim().split('\n').pop());
      if (r.failed > 0 || r.wrong > 0)
        return reject(new Error(`handshakes on ${port}: ${r.failed} failed, ${r.wrong} with the wrong certificate (first: ${r.firstError})`));
      resolve(r);
    });
  });
}

/** Null when the DP on `port` serves each of `names` its own certificate, else what it served instead. */
async function selectionProblem(port, names) {
  for (const name of names) {
    const got = await probeTls(port, { servername: name }).catch((e) => ({ subject: `no handshake (${e.message.split('\n')[0]})` }));
    if (got.subject !== name) return `asked for ${name}, the DP served ${got.subject ?? 'a certificate without CN'}`;
  }
  return null;
}

function skipped(log, why) {
  log(`sni: not measured: ${why}`);
  return { rows: [], targets: [], note: `Not measured: ${why}; SNI selection on the DP is issue #17's.` };
}

async function run(log) {
  const names = Array.from({ length: COUNT }, (_, i) => `host-${String(i).padStart(4, '0')}.bench.test`);
  log(`sni: making ${COUNT} certificates (openssl, ECDSA P-256)`);
  const certs = await makeCertificates(tempDir('gatehouse-bench-sni-'), names);
  const echo = await startEcho();
  const one = sniConfig(echo, certs.slice(0, 1));
  const many = sniConfig(echo, certs);
  if (one.problem || many.problem)
    return skipped(log, `the protocol schema of this build refuses certificates or SNIs (${(one.problem ?? many.problem).split('\n')[0]})`);
  const dpOne = await startTlsDp('dp-sni-1', one.config);
  const dpMany = await startTlsDp('dp-sni-1000', many.config);
  const problem =
    (await selectionProblem(dpOne.tlsPort, names.slice(0, 1))) ?? (await selectionProblem(dpMany.tlsPort, [names[0], names[COUNT >> 1], names[COUNT - 1]]));
  if (problem) return skipped(log, `no certificate selection by SNI: ${problem}`);
  const targets = [
    { key: 'one', label: 'DP, 1 certificate (1 SNI): new TLS 1.3 handshakes', port: dpOne.tlsPort, names: names.slice(0, 1), pid: dpOne.proc.child.pid },
    {
      key: 'many',
      label: `DP, ${fmtInt(COUNT)} certificates (1 SNI each, asked in turn): new TLS 1.3 handshakes`,
      port: dpMany.tlsPort,
      names,
      pid: dpMany.proc.child.pid,
    },
  ];
  const notes = [];
  const nginx = await startNginxWith(echo, certs[0]).catch((err) => {
    if (!(err instanceof ToolMissing)) throw err;
    notes.push(`nginx skipped: ${err.message}.`);
    return null;
  });
  if (nginx)
    targets.push({
      key: 'nginx',
      label: 'nginx, 1 certificate, 1 worker: new TLS 1.3 handshakes (reference)',
      port: nginx.port,
      names: names.slice(0, 1),
      pid: nginx.pid,
    });
  // Every name once before the rounds (at most 5 minutes), so a certificate's first use is not in the figures.
  const warm = await handshakes(dpMany.tlsPort, names, 300, COUNT);
  log(`  warm-up: ${fmtInt(warm.ok)} handshakes over ${fmtInt(COUNT)} names`);
  const samples = await inRounds(targets, (t, seconds) => handshakes(t.port, t.names, seconds), log);
  const rows = targets.map((t) => ({
    suite: 'sni',
    figure: t.label,
    measured: `${fmtInt(medianOf(samples[t.key]))} handshakes/s · p50 ${fmtMs(medianOf(samples[t.key], 'p50'))} · p99 ${fmtMs(medianOf(samples[t.key], 'p99'))} (${CONCURRENCY} at a time) · RSS ${fmtBytes(rssOf(t.pid))}`,
    ratio: '',
  }));
  rows.push({ suite: 'sni', figure: `${fmtInt(COUNT)} certificates vs 1 (handshakes/s)`, measured: fmtRatio(ratioOf(samples.many, samples.one)), ratio: '' });
  if (samples.nginx)
    rows.push({ suite: 'sni', figure: 'DP with 1 certificate vs nginx (handshakes/s)', measured: fmtRatio(ratioOf(samples.one, samples.nginx)), ratio: '' });
  return { rows, targets: [], details: samples, ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

/** nginx serving `cert` ({name, cert, key} in PEM) over TLS 1.3; answers `{port, pid}`. */
async function startNginxWith(echo, cert) {
  const dir = tempDir('gatehouse-bench-sni-nginx-');
  const files = { cert: path.join(dir, 'one.crt'), key: path.join(dir, 'one.key') };
  fs.writeFileSync(files.cert, cert.cert);
  fs.writeFileSync(files.key, cert.key, { mode: 0o600 });
  const port = await freePort();
  const proc = await startNginx(port, echo, { tls: files });
  return { port, pid: proc.child.pid };
}

module.exports = { run, name: 'sni' };
