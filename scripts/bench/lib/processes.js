'use strict';
/**
 * Child processes of a benchmark run: started with their output kept (and
 * shown when they fail), JSON log events awaited with a deadline, and every
 * one of them stopped when the run ends, however it ends.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const running = new Set();
const scratch = new Set();
const cleanups = [];

/** Registers work for the end of the run (after the processes stop), e.g. stopping an embedded database. */
function onCleanup(fn) {
  cleanups.push(fn);
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory, removed when the run ends. */
function tempDir(prefix = 'gatehouse-bench-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.add(dir);
  return dir;
}

/**
 * Starts `command args` with extra environment. `waitForEvent(name, ms, match)`
 * resolves with the first JSON log line of that `event`; it rejects with the
 * process's last lines when the deadline passes or the process exits first.
 */
function start(name, command, args, env = {}, opts = {}) {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { name, child, lines: [], events: [], waiters: [] };
  let buffered = '';
  const onData = (buf) => {
    buffered += buf.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop();
    for (const line of parts) {
      if (line.trim() === '') continue;
      proc.lines.push(line);
      if (proc.lines.length > 400) proc.lines.shift();
      let event = null;
      try {
        event = JSON.parse(line);
      } catch {
        // not a JSON log line
      }
      if (event && typeof event.event === 'string') {
        proc.events.push(event);
        if (proc.events.length > 20_000) proc.events.shift();
      }
      for (const w of proc.waiters.slice()) w();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  proc.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  running.add(proc);
  child.once('exit', () => {
    running.delete(proc);
    for (const w of proc.waiters.slice()) w();
  });

  proc.waitForEvent = (event, timeoutMs = 30_000, match = () => true, fromIndex = 0) =>
    new Promise((resolve, reject) => {
      let seen = fromIndex;
      const check = () => {
        for (; seen < proc.events.length; seen++) {
          const e = proc.events[seen];
          if (e.event === event && match(e)) return finish(null, e);
        }
        if (child.exitCode !== null || child.signalCode !== null)
          finish(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before "${event}":\n${proc.lines.slice(-25).join('\n')}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms waiting for "${event}" from ${name}:\n${proc.lines.slice(-25).join('\n')}`)),
        timeoutMs,
      );
      const finish = (err, value) => {
        clearTimeout(timer);
        const i = proc.waiters.indexOf(check);
        if (i >= 0) proc.waiters.splice(i, 1);
        if (err) reject(err);
        else resolve(value);
      };
      proc.waiters.push(check);
      check();
    });
  proc.stop = async (graceMs = 5000, signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await proc.exited;
    clearTimeout(timer);
  };
  return proc;
}

/** `node <script>` from the repository's built code. */
function startNode(name, script, env = {}, args = []) {
  return start(name, process.execPath, [path.join(ROOT, script), ...args], env);
}

/** Stops every process still running and removes the temporary directories. */
async function stopAll() {
  await Promise.all([...running].map((p) => p.stop(3000)));
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => process.stderr.write(`cleanup failed: ${err.message}\n`));
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  scratch.clear();
}

/** Resolves after `ms`. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { ROOT, freePort, tempDir, start, startNode, stopAll, onCleanup, sleep };
