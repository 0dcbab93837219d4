#!/usr/bin/env node
// Adds the lockfile entries npm leaves out when the registry it was run
// against has no manifest for a platform-specific optional dependency (here:
// some @swc/core and @unrs/resolver-binding builds for other platforms).
// Without them `npm ci` refuses the lockfile as "out of sync" on every
// machine. npm skips such a package on a platform it does not fit, so the
// entry only needs its version and the os/cpu/libc npm would have copied
// from its manifest; those follow from the package's name.
// Run after `npm install` changes package-lock.json: `node scripts/lockfile-platform-entries.js`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', loong64: 'loong64', riscv64: 'riscv64' };

/** os, cpu and libc of a platform package, read from its name (`…-linux-arm64-musl`). */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return null;
  const entry = { os: [os], cpu: [cpu] };
  if (os === 'linux') entry.libc = [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const [key, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const hoisted = `node_modules/${name}`;
    if (packages[hoisted] || packages[`${key}/node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    packages[hoisted] = { version, ...(pkg.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
