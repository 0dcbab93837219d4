import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { WireJson } from '../support/api';

/** Client TLS material, as the dp-certificates API answers it. */
export interface DpCredentials {
  cert?: string;
  key?: string;
  /** The cluster CA the CP's listener certificate must chain to (`ca_cert` as the API names it). */
  ca?: string;
  ca_cert?: string;
}

/** A message from the CP, decoded (gzip binary frames unpacked), with how it arrived. */
export interface Received {
  // Tests read arbitrary fields; shapes are asserted by the tests.
  msg: WireJson;
  binary: boolean;
}

/** How a connection attempt ended when the CP refused it before the WebSocket opened. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the CP refused the upgrade with ${status}: ${body}`);
  }
}

/**
 * A stand-in data plane speaking the cluster protocol over real TLS with a
 * real client certificate, recording every message the CP sends.
 */
export class TestDp {
  readonly received: Received[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly nodeId: string,
  ) {
    ws.on('message', (data: Buffer, binary) => {
      const text = binary ? gunzipSync(data).toString('utf8') : data.toString('utf8');
      this.received.push({ msg: JSON.parse(text), binary });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** Opens a connection; rejects with a Refusal when the CP answers the upgrade with an HTTP error. */
  static connect(port: number, creds: DpCredentials, opts: { nodeId?: string; hostname?: string; version?: string } = {}): Promise<TestDp> {
    const nodeId = opts.nodeId ?? randomUUID();
    const q = new URLSearchParams({ node_id: nodeId, node_hostname: opts.hostname ?? 'test-host', node_version: opts.version ?? '0.1.0' });
    const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/outlet?${q.toString()}`, {
      cert: creds.cert,
      key: creds.key,
      ca: creds.ca ?? creds.ca_cert,
      handshakeTimeout: 10_000,
    });
    const dp = new TestDp(ws, nodeId);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(dp));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => reject(new Refusal(res.statusCode ?? 0, body)));
      });
      ws.once('error', (err) => reject(err));
    });
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  hello(configHash: string | null = null, plugins: string[] = ['key-auth', 'rate-limiting', 'cors'], version = '0.1.0'): void {
    this.send({ type: 'hello', node_id: this.nodeId, hostname: 'test-host', version, config_hash: configHash, plugins });
  }

  /** Messages of one type received so far. */
  ofType(type: string): WireJson[] {
    return this.received.filter((r) => r.msg.type === type).map((r) => r.msg);
  }

  /** Resolves with the first message of `type` (after `after` such messages) matching `match`. */
  waitFor(type: string, match: (msg: WireJson) => boolean = () => true, timeoutMs = 10_000): Promise<WireJson> {
    return this.until(() => this.ofType(type).find(match), `a "${type}" message`, timeoutMs);
  }

  /** Resolves when the CP closes the connection. */
  waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, 'the connection to close', timeoutMs);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }

  private wake(): void {
    for (const w of this.waiters.slice()) w();
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.received.map((r) => r.msg.type))}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }
}

/** Waits `ms`; for asserting that nothing arrives in a window. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
