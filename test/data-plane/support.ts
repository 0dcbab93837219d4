import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import type { GatewayConfig } from '../../packages/protocol/src';
import { configHash } from '../../packages/protocol/src/node';
import { createEchoServer } from '../../packages/echo/src/server';
import { startDataPlane, type DataPlane } from '../../packages/data-plane/src/data-plane';
import { dpSettingsSchema } from '../../packages/data-plane/src/settings';
import { freePort, startNode, tempDir, type TestProcess } from '../support/processes';

/** Sum of the request counts in every stats batch spooled under `dir`: what a DP delivers after any restart. */
export function spooledCount(dir: string): number {
  const stats = path.join(dir, 'stats');
  if (!fs.existsSync(stats)) return 0;
  let total = 0;
  for (const name of fs.readdirSync(stats).filter((n) => n.endsWith('.json'))) {
    const batch = JSON.parse(fs.readFileSync(path.join(stats, name), 'utf8')) as { buckets: { count: number }[] };
    for (const b of batch.buckets) total += b.count;
  }
  return total;
}

/** Applies a config to a running DP with its real hash. */
export function applyConfig(dp: DataPlane, config: GatewayConfig, version = 1): void {
  dp.engine.apply(config, { version, hash: configHash(config) });
}

/** A self-signed certificate and key (real TLS, made with openssl). */
export function makeCertificate(dir: string, cn = 'localhost'): { cert: string; key: string } {
  const cert = path.join(dir, `${cn}.crt`);
  const key = path.join(dir, `${cn}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The echo upstream, in this process, on a free port. */
export async function startEcho(): Promise<{ port: number; server: http.Server; close(): Promise<void> }> {
  const server = createEchoServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An echo upstream that counts the requests it answered (`hits`, reset by the test). */
export type CountingEcho = Awaited<ReturnType<typeof startEcho>> & { hits: number };

/** `n` echo upstreams, each counting its requests: the targets of the load-balancing tests. */
export async function startCountingEchoes(n: number): Promise<CountingEcho[]> {
  const echoes: CountingEcho[] = [];
  for (let i = 0; i < n; i++) {
    const e = Object.assign(await startEcho(), { hits: 0 });
    e.server.on('request', () => e.hits++);
    echoes.push(e);
  }
  return echoes;
}

/** A data plane in this process on free ports (real listeners), with a fresh DP dir. */
export async function startTestDataPlane(env: Record<string, string> = {}): Promise<DataPlane & { dir: string }> {
  const dir = tempDir('gatehouse-dp-');
  const { cert, key } = makeCertificate(dir, 'dp');
  const settings = dpSettingsSchema.parse({
    GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0',
    GATEHOUSE_STATUS_LISTEN: '127.0.0.1:0',
    GATEHOUSE_CLUSTER_CONTROL_PLANE: '127.0.0.1:1',
    GATEHOUSE_CLUSTER_CERT: cert,
    GATEHOUSE_CLUSTER_CERT_KEY: key,
    GATEHOUSE_DP_DIR: dir,
    ...env,
  });
  const dp = await startDataPlane(settings, pino({ level: 'silent' }));
  return Object.assign(dp, { dir });
}

/** The built DP's entry point, relative to the repository root. */
export const DP_MAIN = 'packages/data-plane/dist/main.js';

/** The built DP process (dist/main.js) and the ports it listens on. */
export interface BuiltDataPlane {
  proc: TestProcess;
  proxy: number;
  status: number;
  /** The fields of its `dp_ready` log line. */
  ready: Record<string, unknown>;
}

/** Writes `config` as the DP's cached config in `dir` (what it serves before any CP answers). */
export function writeConfigCache(dir: string, config: GatewayConfig, version: number): void {
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ version, hash: configHash(config), config }));
}

/**
 * Starts the built DP on free ports with `dir` as its DP dir and a CP address
 * nothing listens on, so it serves from its cache alone; `env` adds to or
 * overrides the settings. Resolves once it logged `dp_ready`.
 */
export async function startBuiltDataPlane(
  dir: string,
  certs: { cert: string; key: string },
  env: Record<string, string | undefined> = {},
  readyTimeoutMs = 20_000,
): Promise<BuiltDataPlane> {
  const proxy = await freePort();
  const status = await freePort();
  const proc = startNode(DP_MAIN, {
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxy}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${status}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: `127.0.0.1:${await freePort()}`,
    GATEHOUSE_CLUSTER_CERT: certs.cert,
    GATEHOUSE_CLUSTER_CERT_KEY: certs.key,
    GATEHOUSE_DP_DIR: dir,
    ...env,
  });
  try {
    const ready = await proc.waitForEvent('dp_ready', readyTimeoutMs);
    return { proc, proxy, status, ready };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
}

/** One HTTP(S) request without keep-alive; resolves with the whole reply. */
export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = body ? JSON.parse(body) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`request to ${url} timed out`)));
    req.end(opts.body);
  });
}

export { fs };
