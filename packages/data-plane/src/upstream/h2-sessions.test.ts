import http2, { type ClientHttp2Session } from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { H2Sessions } from './h2-sessions';
import type { PoolTarget } from './pools';

function acquire(pool: H2Sessions, target: PoolTarget): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => pool.acquire(target, (err, session) => (err ? reject(err) : resolve(session!))));
}

/** One request on `session`, answered 200 by the test server. */
function get(session: ClientHttp2Session): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': '/' });
    stream.on('response', (h) => resolve(Number(h[':status'])));
    stream.on('error', reject);
    stream.resume();
  });
}

describe('H2Sessions (HTTP/2 sessions to gRPC upstreams)', () => {
  let server: http2.Http2Server;
  let target: PoolTarget;
  const sessions: http2.ServerHttp2Session[] = [];

  beforeAll(async () => {
    server = http2.createServer();
    server.on('session', (s) => sessions.push(s));
    server.on('stream', (stream) => stream.respond({ ':status': 200 }, { endStream: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = { scheme: 'http', host: '127.0.0.1', port: (server.address() as AddressInfo).port, connectTimeout: 1000, servername: undefined, tls: null };
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('shares one session per origin, also between calls that wait for it to connect', async () => {
    const pool = new H2Sessions();
    const before = sessions.length;
    const [a, b] = await Promise.all([acquire(pool, target), acquire(pool, target)]);
    expect(a).toBe(b);
    expect(await acquire(pool, target)).toBe(a);
    expect(await get(a)).toBe(200);
    expect(sessions.length - before).toBe(1);
    expect(pool.size).toBe(1);
    pool.destroy();
    expect(pool.size).toBe(0);
  });

  it('connects anew after the upstream closed the session (GOAWAY)', async () => {
    const pool = new H2Sessions();
    const first = await acquire(pool, target);
    await get(first);
    sessions[sessions.length - 1]?.close();
    await new Promise((r) => first.once('close', r));
    const second = await acquire(pool, target);
    expect(second).not.toBe(first);
    expect(await get(second)).toBe(200);
    pool.destroy();
  });

  it('retires a session after its last allowed stream, letting that stream finish', async () => {
    const pool = new H2Sessions({ maxStreams: 2 });
    // A call opens its stream in the callback, before the session can be retired.
    const call = (): Promise<{ session: ClientHttp2Session; status: number }> =>
      new Promise((resolve, reject) =>
        pool.acquire(target, (err, session) => {
          if (err !== null || session === null) return reject(err ?? new Error('no session'));
          get(session).then((status) => resolve({ session, status }), reject);
        }),
      );
    const first = await call();
    const second = await call();
    expect(second.session).toBe(first.session);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await call();
    expect(third.session).not.toBe(first.session);
    expect(third.status).toBe(200);
    // Idle once its streams ended, the retired session closes.
    await new Promise((resolve) => first.session.once('close', resolve));
    pool.destroy();
  });

  it('reports a refused connection to every waiting call, and a connect timeout with its code', async () => {
    const pool = new H2Sessions();
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = { ...target, port };
    const errors = await Promise.all([acquire(pool, refused).catch((e: unknown) => e), acquire(pool, refused).catch((e: unknown) => e)]);
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(pool.size).toBe(0);

    // A listener that never completes the HTTP/2 handshake does not time out a connect; a TLS one that never answers the ClientHello does.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => held.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const slow = { ...target, scheme: 'https' as const, port: (silent.address() as AddressInfo).port, connectTimeout: 100 };
    const err = await acquire(pool, slow).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('GATEHOUSE_CONNECT_TIMEOUT');
    pool.destroy();
    for (const socket of held) socket.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});
