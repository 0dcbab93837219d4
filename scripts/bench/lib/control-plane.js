'use strict';
/**
 * Real control planes for the propagation and scale benchmarks: one embedded
 * PostgreSQL server started here (so two CP processes can share it), CP
 * processes from the built dist, a logged-in API client, and data planes
 * connected over mTLS with certificates the API issued.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, freePort, onCleanup, startNode, tempDir } = require('./processes');

const ADMIN = { email: 'bench@example.test', password: 'bench-password-0123456789' };

/** Starts one embedded PostgreSQL server for the run; resolves its URL. */
async function startDatabase() {
  const { startEmbeddedPostgres } = require(path.join(ROOT, 'packages/control-plane/dist/database/embedded.js'));
  const pino = require(path.join(ROOT, 'node_modules/pino'));
  const db = await startEmbeddedPostgres(tempDir('gatehouse-bench-pg-'), pino({ level: 'silent' }));
  onCleanup(() => db.stop());
  return db.url;
}

/** A logged-in client of one CP's API (`/v1`). */
class Api {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.token = '';
  }

  async login() {
    const res = await fetch(`${this.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    this.token = (await res.json()).token;
    return this;
  }

  /** Calls the API; throws unless the answer is 2xx. */
  async ok(method, url, body) {
    const res = await fetch(`${this.baseUrl}/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

/** Starts a CP process on `databaseUrl`; resolves `{proc, api, clusterPort}` once it is ready and logged in. */
async function startCp(name, databaseUrl, env = {}) {
  const adminPort = await freePort();
  const clusterPort = await freePort();
  const proc = startNode(name, 'packages/control-plane/dist/main.js', {
    DATABASE_URL: databaseUrl,
    GATEHOUSE_DATA_DIR: tempDir('gatehouse-bench-cp-'),
    GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
    GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${clusterPort}`,
    GATEHOUSE_CLUSTER_ADVERTISE: `localhost:${clusterPort}`,
    GATEHOUSE_ADMIN_EMAIL: ADMIN.email,
    GATEHOUSE_ADMIN_PASSWORD: ADMIN.password,
    GATEHOUSE_SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    ...env,
  });
  await proc.waitForEvent('cp_ready', 120_000);
  const api = await new Api(`http://127.0.0.1:${adminPort}`).login();
  return { proc, api, clusterPort };
}

/** Issues a DP certificate of group `rg` and writes it as PEM files; resolves their paths. */
async function issueCertificate(api, rg) {
  const issued = await api.ok('POST', `/runtime-groups/${rg}/dp-certificates`);
  const dir = tempDir('gatehouse-bench-cert-');
  const files = { cert: path.join(dir, 'cluster.crt'), key: path.join(dir, 'cluster.key'), ca: path.join(dir, 'cluster-ca.crt') };
  fs.writeFileSync(files.cert, issued.cert);
  fs.writeFileSync(files.key, issued.key, { mode: 0o600 });
  fs.writeFileSync(files.ca, issued.ca_cert);
  return files;
}

/** Starts a DP connected to the CP's cluster port; resolves `{proc, proxyPort, statusPort}` once it is ready. */
async function startClusterDp(name, clusterPort, certs, env = {}) {
  const proxyPort = await freePort();
  const statusPort = await freePort();
  const proc = startNode(name, 'packages/data-plane/dist/main.js', {
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: `localhost:${clusterPort}`,
    GATEHOUSE_CLUSTER_CERT: certs.cert,
    GATEHOUSE_CLUSTER_CERT_KEY: certs.key,
    GATEHOUSE_CLUSTER_CA: certs.ca,
    GATEHOUSE_DP_DIR: tempDir('gatehouse-bench-cdp-'),
    GATEHOUSE_WORKERS: '1',
    ...env,
  });
  await proc.waitForEvent('dp_ready', 60_000);
  return { proc, proxyPort, statusPort };
}

/** Resident memory of a process in bytes (from /proc), or NaN where /proc is not there. */
function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

module.exports = { startDatabase, startCp, issueCertificate, startClusterDp, rssOf, cpuSecondsOf, Api };
