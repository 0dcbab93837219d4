#!/usr/bin/env node
'use strict';
/**
 * `npm run bench [-- proxy propagation scale https http2 grpc sni failover]`: runs the suites
 * (all of them when none is named) against the BUILT code, prints one table
 * and writes the figures into docs/benchmarks.md. Every figure is compared
 * with a baseline measured in the same run. Each suite bounds its own runs
 * (a few seconds each); the whole run takes a few minutes.
 */
const { stopAll } = require('./lib/processes');
const { machine, table, writeDoc } = require('./lib/report');

const SUITES = {
  proxy: () => require('./proxy'),
  propagation: () => require('./propagation'),
  scale: () => require('./scale'),
  https: () => require('./https'),
  http2: () => require('./http2'),
  grpc: () => require('./grpc'),
  sni: () => require('./sni'),
  failover: () => require('./failover'),
};

async function main() {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(a in SUITES));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; choose from: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(SUITES);
  const info = { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), machine: machine() };
  const log = (line) => process.stderr.write(`${line}\n`);
  log(`gatehouse bench: ${names.join(', ')} on ${info.machine.nproc} × ${info.machine.cpu}, Node ${info.machine.node} (load ${info.machine.load})`);
  const started = Date.now();
  const results = [];
  for (const name of names) {
    const suiteStarted = Date.now();
    try {
      const res = await SUITES[name]().run(log);
      results.push({ suite: name, ...res });
    } finally {
      await stopAll();
    }
    log(`${name}: done in ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
  }
  console.log(`\n${table(results)}\n`);
  if (process.env.BENCH_ONLY) {
    log(`BENCH_ONLY is set: a partial run, docs/benchmarks.md left as it was (${Math.round((Date.now() - started) / 1000)} s in all)`);
    return;
  }
  const knobs = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  const command = `${knobs}npm run bench${asked.length > 0 ? ` -- ${asked.join(' ')}` : ''}`;
  const file = writeDoc(results, info, command);
  log(`figures written to ${file} (${Math.round((Date.now() - started) / 1000)} s in all)`);
}

let exiting = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
    void stopAll().finally(() => process.exit(130));
  });
}

main().catch(async (err) => {
  console.error(`bench failed: ${err.stack ?? err.message}`);
  await stopAll();
  process.exit(1);
});
