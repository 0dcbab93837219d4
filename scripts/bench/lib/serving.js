'use strict';
/**
 * Waits for a peer started as a child process to serve: GET `url` until it
 * answers 200 (`get`: lib/load.js's HTTP/1.1 GET unless given), failing with the process's output (and its log file, when it
 * writes one) if it exits or does not serve within the deadline.
 */
const fs = require('node:fs');
const { get: get1 } = require('./load');

async function untilServing(proc, url, { timeoutMs = 10_000, logFile = null, get = get1 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await get(url);
      if (res.status === 200) return proc;
    } catch {
      // not up yet
    }
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      const log = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      await proc.stop(1000);
      throw new Error(`${proc.name} did not serve ${url}:\n${proc.lines.join('\n')}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { untilServing };
