import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { createEchoServer } from '../../../packages/echo/src/server';
import { freePort, startNode, tempDir, type TestProcess } from '../../support/processes';

/** A real echo upstream in this process (the stand-in for mockbin.org). */
export async function startEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const server: http.Server = createEchoServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A running data plane started from the built dist/ with a pre-written config cache. */
export interface TestDataPlane extends TestProcess {
  proxy: string;
  status: string;
  dir: string;
}

/**
 * Starts `packages/data-plane/dist/main.js` serving `config` from its cache
 * (GATEHOUSE_DP_DIR/config.json), before (and without) any control plane:
 * the cluster settings point at a closed port, with a throwaway certificate.
 */
export async function startDataPlaneWith(config: GatewayConfig, env: Record<string, string> = {}): Promise<TestDataPlane> {
  const dir = tempDir('gatehouse-plugins-dp-');
  const cert = path.join(dir, 'cluster.crt');
  const key = path.join(dir, 'cluster.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=plugin-test'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ version: 1, hash: configHash(config), config }));
  const proxyPort = await freePort();
  const statusPort = await freePort();
  const closedPort = await freePort();
  const proc = startNode('packages/data-plane/dist/main.js', {
    GATEHOUSE_DP_DIR: dir,
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: `127.0.0.1:${closedPort}`,
    GATEHOUSE_CLUSTER_CERT: cert,
    GATEHOUSE_CLUSTER_CERT_KEY: key,
    GATEHOUSE_WORKERS: '1',
    ...env,
  });
  try {
    await proc.waitForEvent('config_applied', 20_000);
    await proc.waitForEvent('dp_ready', 20_000);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return { ...proc, proxy: `http://127.0.0.1:${proxyPort}`, status: `http://127.0.0.1:${statusPort}`, dir };
}

/**
 * Waits out the last 3 s of a UTC minute, so a test that counts requests
 * per minute never has its requests split across two windows.
 */
export async function awayFromMinuteEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 57_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

/** A response with its body parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> & { headers?: Record<string, string>; query?: Record<string, unknown>; body?: string; path?: string; method?: string };
}

/** One request through the proxy. */
export async function call(base: string, pathAndQuery: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    // Not every answer is JSON (request-termination bodies, preflights).
  }
  return { status: res.status, headers: res.headers, text, json };
}
