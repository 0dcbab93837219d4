'use strict';
/**
 * gRPC benchmark: unary calls per second through the DP (a `grpc` route and
 * service, cleartext HTTP/2 on both sides: the DP's plain listener with the
 * `http2` flag) against the same calls made directly to the gRPC upstream
 * (@grpc/grpc-js). The load is lib/grpc-load.js, a closed-loop client
 * keeping BENCH_GRPC_CONCURRENCY calls in flight over BENCH_GRPC_CHANNELS
 * connections. When this build's DP does not take or serve gRPC routes yet,
 * the DP side is skipped with a note saying why.
 */
const { execFile } = require('node:child_process');
const { freePort, start } = require('./lib/processes');
const { startCachedDp, startProblem } = require('./lib/dp');
const { grpcConfig } = require('./lib/grpc-config');
const { grpc, EchoClient } = require('./lib/grpc-def');
const { inRounds, ratioOf, medianOf } = require('./lib/rounds');
const { fmtInt, fmtMs, fmtRatio } = require('./lib/stats');

const CONCURRENCY = Number(process.env.BENCH_GRPC_CONCURRENCY ?? 50);
const CHANNELS = Number(process.env.BENCH_GRPC_CHANNELS ?? 5);

async function startGrpcEcho() {
  const port = await freePort();
  const proc = start('grpc echo', process.execPath, [require.resolve('./lib/grpc-echo.js'), String(port)]);
  await proc.waitForEvent('grpc_echo_listening', 15_000);
  return port;
}

/** Runs lib/grpc-load.js against `target` (host:port); resolves its figures, refusing a run with failed calls. */
function grpcLoad(target, seconds) {
  const args = [require.resolve('./lib/grpc-load.js'), target, String(seconds), String(CONCURRENCY), String(CHANNELS)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: (seconds + 30) * 1000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`grpc-load ${target} failed: ${err.message}\n${stderr}`));
      const r = JSON.parse(stdout.trim().split('\n').pop());
      if (r.failed > 0) return reject(new Error(`grpc-load ${target}: ${r.failed} failed calls of ${r.ok + r.failed} (first: ${r.firstError})`));
      resolve(r);
    });
  });
}

/** One unary call to `target`; resolves null when it answers, else what went wrong. */
function oneCall(target) {
  const client = new EchoClient(target, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.Unary(Buffer.from('probe'), { deadline: Date.now() + 5000 }, (err) => {
      client.close();
      resolve(err ? `a call through it failed: ${err.code} ${err.details}` : null);
    });
  });
}

/** The DP target, or a note saying why there is none. */
async function startDpTarget(echo) {
  const built = grpcConfig(echo);
  if (built.problem) return { note: `the protocol schema of this build refuses a grpc service or route (${built.problem.split('\n')[0]})` };
  let dp;
  try {
    dp = await startCachedDp('dp-grpc', built.config, {}, { flags: 'http2' });
  } catch (err) {
    return { note: `the DP did not start with the \`http2\` listen flag (${startProblem(err)})` };
  }
  const target = `127.0.0.1:${dp.proxyPort}`;
  const problem = await oneCall(target);
  return problem ? { note: problem } : { target: { key: 'dp', label: 'gRPC unary through the DP (grpc route, h2c both sides)', target } };
}

async function run(log) {
  log('grpc: starting the gRPC echo upstream and a DP with a grpc route');
  const echo = await startGrpcEcho();
  const targets = [{ key: 'direct', label: 'gRPC unary, direct to the upstream', target: `127.0.0.1:${echo}` }];
  const dp = await startDpTarget(echo);
  const notes = [];
  if (dp.target) targets.push(dp.target);
  else {
    notes.push(`DP not measured: ${dp.note}; gRPC on the DP is issue #17's.`);
    log(`  DP not measured: ${dp.note}`);
  }
  const samples = await inRounds(targets, (t, seconds) => grpcLoad(t.target, seconds), log);
  const rows = targets.map((t) => ({
    suite: 'grpc',
    figure: t.label,
    measured: `${fmtInt(medianOf(samples[t.key]))} calls/s · p50 ${fmtMs(medianOf(samples[t.key], 'p50'))} · p99 ${fmtMs(medianOf(samples[t.key], 'p99'))} (${CONCURRENCY} in flight, ${CHANNELS} connections)`,
    ratio: '',
  }));
  if (samples.dp) rows.push({ suite: 'grpc', figure: 'through the DP vs direct', measured: fmtRatio(ratioOf(samples.dp, samples.direct)), ratio: '' });
  return { rows, targets: [], details: samples, ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

module.exports = { run, name: 'grpc' };
