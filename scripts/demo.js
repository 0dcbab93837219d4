#!/usr/bin/env node
/**
 * `npm run demo`: the walkthrough end to end, from the built dist.
 *
 * Starts a control plane (embedded PostgreSQL in a fresh temporary directory,
 * API on 127.0.0.1:8001, cluster on 127.0.0.1:8005) and the echo upstream on
 * :3000 (it stands in for mockbin.org), creates `example_service` with version
 * `v1` in the `default` runtime group, implements it with the gateway service
 * `example_gateway_service` (http://127.0.0.1:3000) and the route `mockbin`
 * (GET /mock), fetches the shell launch script and runs it, so a data plane
 * proxies on :8000. Once the node shows Connected it calls
 * http://localhost:8000/mock itself, prints the curl to run, and keeps
 * everything running until Ctrl-C, then stops it all and removes the
 * temporary directory.
 */
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PORTS = { admin: 8001, cluster: 8005, echo: 3000, proxy: 8000, status: 8100 };
const API = `http://127.0.0.1:${PORTS.admin}/v1`;
const ADMIN_EMAIL = 'admin@gatehouse.local';
const ADMIN_PASSWORD = `demo-${crypto.randomBytes(9).toString('base64url')}`;

const children = [];
let base;
let stopping = false;

const step = (text) => process.stdout.write(`▸ ${text}`);
const done = (text = 'ok') => process.stdout.write(` ${text}\n`);

/** Starts a child process; its output is kept (shown if it fails) and JSON log lines are parsed. */
function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { name, child, lines: [], waiters: [] };
  const onData = (buf) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      proc.lines.push(line);
      if (proc.lines.length > 200) proc.lines.shift();
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      for (const w of proc.waiters.slice()) w(event);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n✗ ${name} exited unexpectedly (${signal ?? code}). Its last lines:\n${proc.lines.slice(-20).join('\n')}`);
    void shutdown(1);
  });
  children.push(proc);
  return proc;
}

/** Resolves with the first JSON log line of `proc` whose event is `event`. */
function waitForEvent(proc, event, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${proc.name} did not log "${event}" within ${timeoutMs / 1000} s:\n${proc.lines.slice(-20).join('\n')}`)),
      timeoutMs,
    );
    proc.waiters.push(function waiter(e) {
      if (e.event !== event) return;
      clearTimeout(timer);
      proc.waiters.splice(proc.waiters.indexOf(waiter), 1);
      resolve(e);
    });
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function call(method, url, token, body) {
  const res = await fetch(`${API}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${last.message}` : ''}`);
}

async function main() {
  for (const [name, port] of Object.entries(PORTS)) {
    if (!(await portFree(port))) throw new Error(`port ${port} (${name}) is in use: stop whatever listens there and try again`);
  }
  for (const entry of ['packages/control-plane/dist/main.js', 'packages/data-plane/dist/main.js', 'packages/echo/dist/main.js']) {
    if (!fs.existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run "npm run build" first (npm run demo does)`);
  }
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-demo-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to reach its data dir inside.
  fs.chmodSync(base, 0o711);

  step(`starting the echo upstream on :${PORTS.echo} (it stands in for mockbin.org)…`);
  const echo = start('echo upstream', process.execPath, ['packages/echo/dist/main.js'], { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${PORTS.echo}` });
  await waitForEvent(echo, 'echo_listening', 15_000);
  done();

  step(`starting the control plane (embedded PostgreSQL in ${base}) on :${PORTS.admin} and :${PORTS.cluster}…`);
  const cp = start('control plane', process.execPath, ['packages/control-plane/dist/main.js'], {
    DATABASE_URL: '',
    GATEHOUSE_DATA_DIR: path.join(base, 'control-plane'),
    GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${PORTS.admin}`,
    GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${PORTS.cluster}`,
    GATEHOUSE_CLUSTER_ADVERTISE: `localhost:${PORTS.cluster}`,
    GATEHOUSE_ADMIN_EMAIL: ADMIN_EMAIL,
    GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  await waitForEvent(cp, 'cp_ready', 120_000);
  done();

  step('logging in…');
  const { token } = await call('POST', '/auth/login', null, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const group = await call('GET', '/runtime-groups/default', token);
  done();

  step('creating example_service, version v1 in "default", implemented by example_gateway_service with route mockbin GET /mock…');
  const service = await call('POST', '/service-hub/services', token, { name: 'example_service' });
  const version = await call('POST', `/service-hub/services/${service.id}/versions`, token, { name: 'v1', runtime_group_id: group.id });
  await call('POST', `/service-hub/services/${service.id}/versions/${version.id}/implementation`, token, {
    service: { name: 'example_gateway_service', url: `http://127.0.0.1:${PORTS.echo}` },
    route: { name: 'mockbin', methods: ['GET'], paths: ['/mock'] },
  });
  done();

  step('fetching the shell launch script and running it…');
  const script = await call('POST', '/runtime-groups/default/launch-script', token, { kind: 'shell' });
  const scriptFile = path.join(base, 'launch-dp.sh');
  fs.writeFileSync(scriptFile, script, { mode: 0o700 });
  const dp = start('data plane', 'bash', [scriptFile], {
    GATEHOUSE_DP_DIR: path.join(base, 'data-plane'),
    GATEHOUSE_PROXY_LISTEN: `0.0.0.0:${PORTS.proxy}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${PORTS.status}`,
  });
  await waitForEvent(dp, 'dp_ready', 30_000);
  done();

  step('waiting until the node shows Connected…');
  const node = await until('the data plane connecting', 60_000, async () => {
    const nodes = await call('GET', '/runtime-groups/default/nodes', token);
    return nodes.data.find((n) => n.sync_status === 'Connected');
  });
  done(`${node.hostname} is ${node.sync_status}`);

  step(`calling http://localhost:${PORTS.proxy}/mock…`);
  const answer = await until('the proxy answering /mock', 15_000, async () => {
    const res = await fetch(`http://localhost:${PORTS.proxy}/mock`);
    return res.status === 200 ? res.json() : undefined;
  });
  done(`200, the echo upstream saw ${answer.method} ${answer.path}`);

  console.log(`
Gatehouse is running:
  web UI and API   http://localhost:${PORTS.admin}   (${ADMIN_EMAIL} / ${ADMIN_PASSWORD})
  data plane       http://localhost:${PORTS.proxy}   (status http://127.0.0.1:${PORTS.status}/status)

Try it:
  curl http://localhost:${PORTS.proxy}/mock

Press Ctrl-C to stop everything.`);
}

/** Stops the processes in reverse order of start (data plane first), then removes the temporary directory. */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (code === 0) process.stdout.write('\n▸ stopping…');
  for (const proc of children.slice().reverse()) {
    const { child } = proc;
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (base) fs.rmSync(base, { recursive: true, force: true });
  if (code === 0) done('done');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err) => {
  console.error(`\n✗ ${err.message}`);
  void shutdown(1);
});
