import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import { promisify } from 'node:util';
import { applyConfig, startEcho, startTestDataPlane } from './support';
import { consumer, gateway, keyAuth, plugin, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { TrafficRecorder } from '../../packages/data-plane/src/analytics/recorder';
import { requestRecordOf } from '../../packages/data-plane/src/analytics/from-context';

const run = promisify(execFile);

interface CurlReply {
  version: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request with curl (a real HTTP/2 client): the HTTP version it spoke, the status, the response headers (lower case) and body. */
async function curl(args: string[]): Promise<CurlReply> {
  const { stdout } = await run('curl', ['-sk', '--max-time', '10', '-D', '-', '-w', '\n%{http_version}', ...args]);
  const version = stdout.slice(stdout.lastIndexOf('\n') + 1);
  const rest = stdout.slice(0, stdout.lastIndexOf('\n'));
  const split = rest.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = rest.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { version, status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(split + 4) };
}

/** A request over one HTTP/2 session (Node's client), answering status, headers and body. */
function h2request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string[],
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let data = '';
    let head: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => (head = h));
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (data += c));
    stream.on('end', () => resolve({ status: Number(head[':status']), headers: head, body: data }));
    stream.on('error', reject);
    if (body !== undefined) {
      for (const part of body) stream.write(part);
      stream.end();
    }
  });
}

describe('proxy: HTTP/2 (ALPN h2 on TLS, prior knowledge on a plain http2 listener)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;
  let plainOnly: DataPlane;
  const recorder = new TrafficRecorder();
  const key = 'h2-secret-key';

  beforeAll(async () => {
    echo = await startEcho();
    // No certificate given: the TLS listener serves the self-signed default it generates (as Kong).
    dp = await startTestDataPlane({ GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0 http2', GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0 http2 ssl' });
    plainOnly = await startTestDataPlane();
    dp.observers.push((ctx) => recorder.record(requestRecordOf(ctx)));
    const svc = service({ port: echo.port });
    const alice = consumer({ username: 'alice' });
    const secured = route({ service: svc, paths: ['/secured'] });
    const limited = route({ service: svc, paths: ['/limited'] });
    const config = gateway({
      services: [svc],
      routes: [route({ service: svc, paths: ['/echo'] }), secured, limited, route({ service: svc, paths: ['/tls-only'], protocols: ['https'] })],
      consumers: [alice],
      keyauth_credentials: [keyAuth(alice, key)],
      plugins: [
        plugin('key-auth', { route: secured, config: {} }),
        plugin('request-size-limiting', { route: limited, config: { allowed_payload_size: 10, size_unit: 'bytes' } }),
      ],
    });
    applyConfig(dp, config);
    applyConfig(plainOnly, config);
  });
  afterAll(async () => {
    await dp.stop();
    await plainOnly.stop();
    await echo.close();
  });

  it('speaks HTTP/2 on the TLS listener when the client offers h2, with :authority as Host and Via 2', async () => {
    const r = await curl(['--http2', `https://localhost:${dp.proxyTlsPort}/echo/x?a=1`]);
    expect(r.version).toBe('2');
    expect(r.status).toBe(200);
    const seen = JSON.parse(r.body);
    expect(seen.path).toBe('/x');
    expect(seen.query).toEqual({ a: '1' });
    expect(seen.headers.host).toBe('127.0.0.1:' + String(echo.port));
    expect(seen.headers['x-forwarded-host']).toBe('localhost');
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers.via).toMatch(/^2 gatehouse\//);
    // No pseudo-header goes upstream as a header.
    expect(Object.keys(seen.headers).filter((h) => h.startsWith(':'))).toEqual([]);
    expect(r.headers['x-gatehouse-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.via).toMatch(/^1\.1 gatehouse\//);
    expect(r.headers.connection).toBeUndefined();
  });

  it('still speaks HTTP/1.1 on the same TLS port to a client that offers only http/1.1', async () => {
    const r = await curl(['--http1.1', `https://localhost:${dp.proxyTlsPort}/echo`]);
    expect(r.version).toBe('1.1');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).headers.via).toMatch(/^1\.1 gatehouse\//);
  });

  it('speaks cleartext HTTP/2 with prior knowledge and HTTP/1.1 on a plain listener marked http2', async () => {
    const h2 = await curl(['--http2-prior-knowledge', `http://127.0.0.1:${dp.proxyPort}/echo/y`]);
    expect(h2.version).toBe('2');
    expect(h2.status).toBe(200);
    expect(JSON.parse(h2.body).path).toBe('/y');
    expect(JSON.parse(h2.body).headers['x-forwarded-proto']).toBe('http');
    const h1 = await curl([`http://127.0.0.1:${dp.proxyPort}/echo/z`]);
    expect(h1.version).toBe('1.1');
    expect(JSON.parse(h1.body).path).toBe('/z');
  });

  it('does not speak HTTP/2 on a plain listener without the flag (the preface is refused)', async () => {
    await expect(curl(['--http2-prior-knowledge', `http://127.0.0.1:${plainOnly.proxyPort}/echo`])).rejects.toThrow();
    expect((await curl([`http://127.0.0.1:${plainOnly.proxyPort}/echo`])).status).toBe(200);
  });

  it('streams a request body that has no Content-Length (HTTP/2 DATA frames) to the upstream', async () => {
    const session = http2.connect(`http://127.0.0.1:${dp.proxyPort}`);
    try {
      const r = await h2request(session, { ':method': 'POST', ':path': '/echo/upload', 'content-type': 'text/plain' }, ['hello ', 'over ', 'h2']);
      expect(r.status).toBe(200);
      const seen = JSON.parse(r.body);
      expect(seen.body).toBe('hello over h2');
      // Cookie crumbs (RFC 9113 §8.2.3) arrive upstream as one line.
      const c = await h2request(session, { ':path': '/echo/c', cookie: ['a=1', 'b=2'] });
      expect(JSON.parse(c.body).rawHeaders.filter((h: string) => h.toLowerCase() === 'cookie')).toHaveLength(1);
      expect(JSON.parse(c.body).headers.cookie).toBe('a=1; b=2');
    } finally {
      session.close();
    }
  });

  it('runs plugins the same over HTTP/2: key-auth refuses, then lets the consumer through; analytics counts both', async () => {
    const before = recorder.snapshot().length;
    const denied = await curl(['--http2', `https://localhost:${dp.proxyTlsPort}/secured`]);
    expect(denied.version).toBe('2');
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body).message).toBe('No API key found in request');
    const allowed = await curl(['--http2-prior-knowledge', '-H', `apikey: ${key}`, `http://127.0.0.1:${dp.proxyPort}/secured/in`]);
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).headers['x-consumer-username']).toBe('alice');
    const buckets = recorder.snapshot();
    expect(buckets.length).toBeGreaterThan(before);
    const statuses = buckets.map((b) => [b.status, b.consumer_id !== null, b.count]);
    expect(statuses).toEqual(expect.arrayContaining([[401, false, 1], expect.arrayContaining([200, true])]));
  });

  it('reads a streamed HTTP/2 body for a plugin: request-size-limiting refuses one over its limit, passes one under it', async () => {
    const session = http2.connect(`http://127.0.0.1:${dp.proxyPort}`);
    try {
      const big = await h2request(session, { ':method': 'POST', ':path': '/limited' }, ['0123456789', 'abcdef']);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).message).toBe('Request size limit exceeded');
      const small = await h2request(session, { ':method': 'POST', ':path': '/limited' }, ['01234', '5']);
      expect(small.status).toBe(200);
      expect(JSON.parse(small.body).body).toBe('012345');
    } finally {
      session.close();
    }
  });

  it("answers Kong's 426 on an https-only route over cleartext HTTP/2 without connection-specific headers", async () => {
    const r = await curl(['--http2-prior-knowledge', `http://127.0.0.1:${dp.proxyPort}/tls-only`]);
    expect(r.version).toBe('2');
    expect(r.status).toBe(426);
    expect(JSON.parse(r.body).message).toBe('Please use HTTPS protocol');
    expect(r.headers.connection).toBeUndefined();
    expect(r.headers.upgrade).toBeUndefined();
  });

  it('stops at the drain deadline with a connection that never sent its ClientHello or preface', async () => {
    const other = await startTestDataPlane({
      GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0 http2',
      GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0',
      GATEHOUSE_DRAIN_TIMEOUT_MS: '300',
    });
    const silent = [other.proxyPort, other.proxyTlsPort ?? 0].map((port) => net.connect(port, '127.0.0.1'));
    await Promise.all(silent.map((s) => new Promise((r) => s.once('connect', r))));
    const closed = silent.map((s) => new Promise((r) => s.once('close', r)));
    const started = Date.now();
    await other.stop();
    await Promise.all(closed);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('drains an HTTP/2 session gracefully: GOAWAY, the request in flight is answered', async () => {
    const other = await startTestDataPlane({ GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0 http2' });
    const svc = service({ port: echo.port });
    applyConfig(other, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/slow'] })] }));
    const session = http2.connect(`http://127.0.0.1:${other.proxyPort}`);
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    const slow = h2request(session, { ':path': '/slow/delay/400' });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = other.stop();
    await goaway;
    const r = await slow;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).path).toBe('/delay/400');
    await stopped;
    session.destroy();
  });
});
