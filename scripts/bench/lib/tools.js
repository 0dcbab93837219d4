'use strict';
/**
 * Programs a benchmark runs (peers and load tools): where each is found, and
 * the one line telling a person what to install when it is not, so a run
 * without one skips that part with a note instead of failing.
 */
const fs = require('node:fs');
const path = require('node:path');

/** The Debian package of each program, as scripts/test-prerequisites.js installs them. */
const PACKAGES = { nginx: 'nginx', haproxy: 'haproxy', caddy: 'caddy', wrk: 'wrk', h2load: 'nghttp2-client' };

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The path of `name` (on PATH, or in /usr/sbin where Debian puts daemons), or null. */
function findTool(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) if (dir !== '' && executable(path.join(dir, name))) return path.join(dir, name);
  return null;
}

/** What to run to get `name`. */
function installHint(name) {
  const pkg = PACKAGES[name] ?? name;
  return `${name} is not installed: apt-get install -y ${pkg} (or node scripts/test-prerequisites.js --with-bench-tools)`;
}

/** Thrown by a peer's start when its program is missing; the scenario skips the peer with `message` as its note. */
class ToolMissing extends Error {
  constructor(name) {
    super(installHint(name));
    this.tool = name;
  }
}

/** `findTool(name)`, or a ToolMissing thrown. */
function requireTool(name) {
  const file = findTool(name);
  if (!file) throw new ToolMissing(name);
  return file;
}

module.exports = { findTool, requireTool, installHint, ToolMissing };
