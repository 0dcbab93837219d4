import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '@gatehouse/protocol';
import { createEchoServer } from '../../../packages/echo/src/server';
import { tempDir, type TestProcess } from '../../support/processes';
import { makeCertificate, startBuiltDataPlane, writeConfigCache } from '../../data-plane/support';

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
  writeConfigCache(dir, config, 1);
  const dp = await startBuiltDataPlane(dir, makeCertificate(dir, 'plugin-test'), { GATEHOUSE_WORKERS: '1', ...env });
  return { ...dp.proc, proxy: `http://127.0.0.1:${dp.proxy}`, status: `http://127.0.0.1:${dp.status}`, dir };
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
