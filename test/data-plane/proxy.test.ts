import http from 'node:http';
import net from 'node:net';
import { applyConfig, request, startEcho, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import type { RequestContext } from '../../packages/data-plane/src/proxy/request-context';
import { freePort } from '../support/processes';

describe('proxy: routing and Kong answers against a real echo upstream', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;
  let base: string;
  const finished: RequestContext[] = [];
  const echoService = () => service({ name: 'echo', port: echo.port });

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane();
    dp.observers.push((ctx) => finished.push(ctx));
    base = `http://127.0.0.1:${dp.proxyPort}`;
  });
  afterAll(async () => {
    await dp.stop();
    await echo.close();
  });

  it("answers 404 with Kong's message and the request id when no route matches", async () => {
    applyConfig(dp, gateway({}));
    const res = await request(`${base}/nothing`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'no Route matched with those values', request_id: res.headers['x-gatehouse-request-id'] });
    expect(res.headers['x-gatehouse-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('proxies a matching route, with Via, request id and latency headers to the client', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, name: 'mockbin', methods: ['GET'], paths: ['/mock'] })] }));
    const res = await request(`${base}/mock`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ method: 'GET', path: '/' });
    expect(res.headers.via).toBe('1.1 gatehouse/0.1.0');
    expect(res.headers['x-gatehouse-upstream-latency']).toMatch(/^\d+$/);
    expect(res.headers['x-gatehouse-proxy-latency']).toMatch(/^\d+$/);
    expect(res.json.headers['x-gatehouse-request-id']).toBe(res.headers['x-gatehouse-request-id']);
  });

  it("answers a POST to a GET-only route with 404 and Kong's message", async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, methods: ['GET'], paths: ['/mock'] })] }));
    const res = await request(`${base}/mock`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('no Route matched with those values');
  });

  it('strips the matched prefix, prepends the service path and keeps the query string', async () => {
    const plain = echoService();
    const based = service({ port: echo.port, path: '/base' });
    applyConfig(
      dp,
      gateway({
        services: [plain, based],
        routes: [
          route({ service: plain, paths: ['/strip'] }),
          route({ service: plain, paths: ['/keep'], strip_path: false }),
          route({ service: based, paths: ['/based'] }),
        ],
      }),
    );
    expect((await request(`${base}/strip/a/b?x=1&y=2`)).json).toMatchObject({ path: '/a/b', query: { x: '1', y: '2' } });
    expect((await request(`${base}/keep/a`)).json.path).toBe('/keep/a');
    expect((await request(`${base}/based/a`)).json.path).toBe('/base/a');
    expect((await request(`${base}/based`)).json.path).toBe('/base');
  });

  it("sends the service host upstream, or the client's Host with preserve_host", async () => {
    const svc = echoService();
    applyConfig(
      dp,
      gateway({ services: [svc], routes: [route({ service: svc, paths: ['/plain'] }), route({ service: svc, paths: ['/preserve'], preserve_host: true })] }),
    );
    expect((await request(`${base}/plain`, { headers: { host: 'client.example' } })).json.headers.host).toBe(`127.0.0.1:${echo.port}`);
    expect((await request(`${base}/preserve`, { headers: { host: 'client.example' } })).json.headers.host).toBe('client.example');
  });

  it('sends X-Real-IP and X-Forwarded-* upstream, replacing what an untrusted client claims', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/fwd'] })] }));
    const res = await request(`${base}/fwd/x`, {
      headers: { host: 'api.example:9999', 'x-forwarded-for': '10.1.1.1', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/evil' },
    });
    const h = res.json.headers;
    expect(h['x-real-ip']).toBe('127.0.0.1');
    expect(h['x-forwarded-for']).toBe('10.1.1.1, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe('api.example');
    expect(h['x-forwarded-port']).toBe(String(dp.proxyPort));
    expect(h['x-forwarded-prefix']).toBe('/fwd');
    expect(h['x-forwarded-path']).toBe('/fwd/x');
  });

  it('does not forward hop-by-hop headers, including those named in Connection', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/hop'] })] }));
    const res = await request(`${base}/hop`, {
      headers: { connection: 'keep-alive, x-private', 'x-private': 'secret', 'keep-alive': 'timeout=5', te: 'gzip', 'x-public': 'ok' },
    });
    expect(res.json.headers['x-private']).toBeUndefined();
    expect(res.json.headers['keep-alive']).toBeUndefined();
    expect(res.json.headers.te).toBeUndefined();
    expect(res.json.headers['x-public']).toBe('ok');
  });

  it('routes regex paths before prefixes and strips what the regex matched', async () => {
    const svc = echoService();
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [route({ service: svc, name: 'prefix', paths: ['/users/42/profile'] }), route({ service: svc, name: 'regex', paths: ['~/users/\\d+'] })],
      }),
    );
    const res = await request(`${base}/users/42/profile`);
    expect(res.json.path).toBe('/profile');
  });

  it('forwards request bodies and upstream status codes', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/'], strip_path: false })] }));
    const res = await request(`${base}/anything`, { method: 'POST', body: 'hello body', headers: { 'content-type': 'text/plain' } });
    expect(res.json).toMatchObject({ method: 'POST', body: 'hello body' });
    expect((await request(`${base}/status/418`)).status).toBe(418);
  });

  it('streams a chunked request body (no Content-Length) to the upstream', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/chunked'] })] }));
    const reply = await new Promise<{ body: string; te: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: dp.proxyPort, method: 'PUT', path: '/chunked', agent: false }, (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          const json = JSON.parse(data) as { body: string; headers: Record<string, string> };
          resolve({ body: json.body, te: json.headers['transfer-encoding'] });
        });
      });
      req.on('error', reject);
      req.write('first,');
      setTimeout(() => req.end('second'), 20);
    });
    expect(reply).toEqual({ body: 'first,second', te: 'chunked' });
  });

  it('answers 502 when the upstream refuses connections', async () => {
    const svc = service({ port: await freePort(), retries: 2 });
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/dead'] })] }));
    const res = await request(`${base}/dead`);
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ message: 'An invalid response was received from the upstream server', request_id: res.headers['x-gatehouse-request-id'] });
  });

  it('answers 504 on read_timeout, without retrying a slow upstream', async () => {
    const svc = service({ port: echo.port, read_timeout: 300, retries: 5 });
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/delay'], strip_path: false })] }));
    const started = Date.now();
    const res = await request(`${base}/delay/3000`);
    expect(res.status).toBe(504);
    expect(res.json.message).toBe('The upstream server is timing out');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 504 on write_timeout when the upstream stops reading the body, without retrying', async () => {
    // Accepts connections and never reads: the request body backs up once the socket buffers are full.
    const accepted: net.Socket[] = [];
    const stalled = net.createServer((socket) => {
      accepted.push(socket);
      socket.pause();
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    try {
      const svc = service({ port: (stalled.address() as net.AddressInfo).port, write_timeout: 300, retries: 3 }); // read_timeout: the schema's (long) default
      applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/upload'] })] }));
      const started = Date.now();
      // A raw client: it keeps sending a 64 MiB body while reading whatever comes back.
      const head = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(dp.proxyPort, '127.0.0.1');
        let received = '';
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => {
          received += d;
          if (received.includes('\r\n\r\n')) {
            resolve(received);
            socket.destroy();
          }
        });
        socket.on('error', (err) => (received === '' ? reject(err) : resolve(received)));
        socket.write(`PUT /upload HTTP/1.1\r\nhost: localhost\r\ncontent-length: ${64 * 1024 * 1024}\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = (): void => {
          while (!socket.destroyed && sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        pump();
      });
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      expect(status).toBe(504);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(accepted).toHaveLength(1);
    } finally {
      // A paused socket never reads the proxy's close: end them here so the server can close.
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((r) => stalled.close(() => r()));
    }
  });

  describe('retries', () => {
    let flaky: net.Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      // Drops the first connection it gets without answering (a reset), then answers normally.
      flaky = net.createServer((socket) => {
        connections++;
        if (connections % 2 === 1) return socket.destroy();
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
      });
      await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
      port = (flaky.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => flaky.close(() => r())));

    it('retries an idempotent request after a connection error', async () => {
      const svc = service({ port, retries: 1 });
      applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/flaky'] })] }));
      connections = 0;
      const res = await request(`${base}/flaky`);
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      expect(connections).toBe(2);
    });

    it('does not retry a non-idempotent request the upstream may have processed', async () => {
      const svc = service({ port, retries: 3 });
      applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/flaky'] })] }));
      connections = 0;
      const res = await request(`${base}/flaky`, { method: 'POST', body: 'once' });
      expect(res.status).toBe(502);
      expect(connections).toBe(1);
    });

    it('gives up with 502 when retries is 0', async () => {
      const svc = service({ port, retries: 0 });
      applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/flaky'] })] }));
      connections = 0;
      const res = await request(`${base}/flaky`);
      expect(res.status).toBe(502);
      expect(connections).toBe(1);
    });
  });

  it('answers 426 on plain HTTP to an https-only route, or redirects when told to', async () => {
    const svc = echoService();
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [
          route({ service: svc, paths: ['/secure'], protocols: ['https'] }),
          route({ service: svc, paths: ['/moved'], protocols: ['https'], https_redirect_status_code: 301 }),
        ],
      }),
    );
    const res = await request(`${base}/secure`);
    expect(res.status).toBe(426);
    expect(res.json.message).toBe('Please use HTTPS protocol');
    expect(res.headers.upgrade).toBe('TLS/1.2, HTTP/1.1');
    const moved = await request(`${base}/moved/x?a=1`, { headers: { host: 'api.example:8000' } });
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://api.example/moved/x?a=1');
  });

  it('answers 503 for a route without a service, and 404 for routes of a disabled service (Kong)', async () => {
    const off = service({ port: echo.port, enabled: false });
    applyConfig(dp, gateway({ services: [off], routes: [route({ paths: ['/orphan'] }), route({ service: off, paths: ['/off'] })] }));
    const orphan = await request(`${base}/orphan`);
    expect(orphan.status).toBe(503);
    expect(orphan.json.message).toBe('no Service found with those values');
    expect((await request(`${base}/off`)).status).toBe(404);
  });

  it('reports each finished request to the observers with route, service, status and latency', async () => {
    const svc = echoService();
    const r = route({ service: svc, paths: ['/observed'] });
    applyConfig(dp, gateway({ services: [svc], routes: [r] }));
    finished.length = 0;
    await request(`${base}/observed/status/201`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toHaveLength(1);
    const ctx = finished[0]!;
    expect([ctx.route?.id, ctx.service?.id, ctx.status]).toEqual([r.id, svc.id, 201]);
    expect(ctx.latency).toBeGreaterThanOrEqual(0);
    expect(ctx.upstreamLatency).toBeGreaterThanOrEqual(0);
  });

  it('keeps serving the previous config when a new one cannot be compiled', async () => {
    const svc = echoService();
    applyConfig(dp, gateway({ services: [svc], routes: [route({ service: svc, paths: ['/v1'] })] }), 7);
    const broken = gateway({ services: [], routes: [route({ service: svc, paths: ['/v2'] })] });
    expect(() => applyConfig(dp, broken, 8)).toThrow(/refers to service .* not in the config/);
    expect(dp.engine.current()?.version).toBe(7);
    expect((await request(`${base}/v1`)).status).toBe(200);
  });
});
