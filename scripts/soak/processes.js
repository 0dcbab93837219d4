'use strict';
// The soak's installation: a CP (embedded PostgreSQL unless DATABASE_URL is
// set), the echo upstream, and a DP started from the CP's own shell launch
// script, each a real process from the built dist/. Waits for their JSON
// "ready" log lines; stop() ends them all.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a command and resolves once it logs `event` (a JSON line); rejects if it exits first or after 90 s. */
function start(name, command, args, env, event) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 90 s:\n${tail.join('\n')}`)), 90_000);
    const onLine = (buf) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        try {
          if (JSON.parse(line).event === event) {
            clearTimeout(timer);
            resolve(child);
          }
        } catch {
          // not a JSON log line
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${tail.join('\n')}`));
    });
  });
}

function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts CP, echo and DP; answers their urls, pids and a stop function. */
async function startInstallation() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-soak-'));
  // Embedded PostgreSQL runs as its own user (as root), which must be able to reach its data dir inside.
  fs.chmodSync(dir, 0o711);
  const [adminPort, clusterPort, echoPort, proxyPort, statusPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const password = 'soak-password-123';
  const cp = await start(
    'control plane',
    process.execPath,
    ['-r', path.join(__dirname, 'heap-probe.js'), path.join(ROOT, 'packages/control-plane/dist/main.js')],
    {
      GATEHOUSE_SOAK_HEAP_FILE: path.join(dir, 'cp-heap'),
      GATEHOUSE_DATA_DIR: path.join(dir, 'cp'),
      GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
      GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${clusterPort}`,
      GATEHOUSE_CLUSTER_ADVERTISE: `localhost:${clusterPort}`,
      GATEHOUSE_ADMIN_EMAIL: 'soak@example.test',
      GATEHOUSE_ADMIN_PASSWORD: password,
    },
    'cp_ready',
  );
  const echo = await start(
    'echo upstream',
    process.execPath,
    [path.join(ROOT, 'packages/echo/dist/main.js')],
    { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${echoPort}` },
    'echo_listening',
  );
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const login = await (
    await fetch(`${adminUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'soak@example.test', password }),
    })
  ).json();
  const script = await (
    await fetch(`${adminUrl}/v1/runtime-groups/default/launch-script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ kind: 'shell' }),
    })
  ).text();
  const scriptFile = path.join(dir, 'launch.sh');
  fs.writeFileSync(scriptFile, script, { mode: 0o700 });
  // The script ends with `exec node …`, so the bash process becomes the DP: its pid is the DP's.
  const dp = await start(
    'data plane',
    'bash',
    [scriptFile],
    {
      GATEHOUSE_DP_DIR: path.join(dir, 'dp'),
      GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
      GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
      GATEHOUSE_STATS_FLUSH_INTERVAL_MS: '1000',
    },
    'dp_ready',
  );
  return {
    adminUrl,
    token: login.token,
    echoUrl: `http://127.0.0.1:${echoPort}`,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    pids: { cp: cp.pid, dp: dp.pid },
    /** The CP's heap in use after its last major collection (scripts/soak/heap-probe.js). */
    cpHeapFile: path.join(dir, 'cp-heap'),
    async stop() {
      await stop(dp);
      await Promise.all([stop(echo), stop(cp)]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startInstallation };
