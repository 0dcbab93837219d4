#!/usr/bin/env node
// Runs before `npm test` (and in .ci/run): makes sure the programs the tests
// start are on this machine — redis-server (rate-limiting with a Redis policy)
// and Chromium (the browser tests) — and installs the missing ones with
// apt-get when it may. `--with-bench-tools` adds the benchmarks' peers and
// load tools: nginx, HAProxy, Caddy, wrk and h2load (nghttp2-client).
// GATEHOUSE_INSTALL_PREREQUISITES=0 turns installing off: then a missing
// program stops the run with one line saying what to install.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { plan } = require('./prerequisites/plan');

/** True when `file` exists and may be run. */
function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** True when `command` is found on PATH, as spawn would find it. */
function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && executable(path.join(dir, command)));
}

// Where each program is looked for is where its users look: the tests spawn
// redis-server by name and launch Chromium at GATEHOUSE_CHROMIUM; the
// benchmarks run /usr/sbin/nginx, and haproxy, caddy, wrk and h2load by name.
const TEST_PROGRAMS = [
  { name: 'redis-server', pkg: 'redis-server', present: () => onPath('redis-server') },
  { name: 'chromium', pkg: 'chromium', present: () => executable(process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium') },
];
const BENCH_PROGRAMS = [
  { name: 'nginx', pkg: 'nginx', present: () => executable('/usr/sbin/nginx') },
  { name: 'haproxy', pkg: 'haproxy', present: () => onPath('haproxy') },
  { name: 'caddy', pkg: 'caddy', present: () => onPath('caddy') },
  { name: 'wrk', pkg: 'wrk', present: () => onPath('wrk') },
  { name: 'h2load', pkg: 'nghttp2-client', present: () => onPath('h2load') },
];

/** The facts `plan` decides by. */
function host() {
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return {
    aptGet: onPath('apt-get'),
    root: process.getuid?.() === 0,
    sudo: !sudo.error && sudo.status === 0,
    allowed: process.env.GATEHOUSE_INSTALL_PREREQUISITES !== '0',
  };
}

/** Runs apt-get with `args`, through `sudo -n` when not root, after a progress line; true when it succeeded. */
function aptGet(args, sudo) {
  const command = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-qq', ...args];
  console.log(`test prerequisites: ${sudo ? 'sudo ' : ''}apt-get ${args.join(' ')}`);
  const [file, ...rest] = sudo ? ['sudo', '-n', ...command] : command;
  const result = spawnSync(file, rest, { stdio: ['ignore', 'inherit', 'inherit'] });
  return !result.error && result.status === 0;
}

/** Stops the run with the one line a person needs. */
function stop(line) {
  console.error(line);
  process.exit(1);
}

function main() {
  const programs = process.argv.includes('--with-bench-tools') ? [...TEST_PROGRAMS, ...BENCH_PROGRAMS] : TEST_PROGRAMS;
  const missing = programs.filter((p) => !p.present());
  // Asking sudo costs a process; a machine that has everything never does.
  if (missing.length === 0) return;
  const decision = plan(missing, host());
  if (decision.kind === 'ready') return;
  if (decision.kind === 'refuse') stop(decision.line);

  const { packages, sudo } = decision;
  console.log(`test prerequisites: missing ${missing.map((p) => p.name).join(', ')}; installing ${packages.join(' ')}`);
  const installed = aptGet(['update'], sudo) && aptGet(['install', '-y', '--no-install-recommends', ...packages], sudo);
  const still = programs.filter((p) => !p.present());
  if (!installed || still.length > 0) {
    const names = still.map((p) => p.name).join(', ') || packages.join(' ');
    stop(`installing ${names} did not work (see apt-get's output above): run 'sudo apt-get install -y ${packages.join(' ')}' and then npm test again`);
  }
  console.log(`test prerequisites: installed ${packages.join(' ')}`);
}

main();
