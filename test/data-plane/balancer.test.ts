import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { applyConfig, request, startCountingEchoes, startTestDataPlane, type CountingEcho } from './support';
import { freePort } from '../support/processes';
import { consumer, gateway, keyAuth, plugin, route, service, target, upstream } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';

/**
 * Load balancing end to end: a real DP (real listeners) in front of three
 * real echo upstreams, a service whose host names an upstream of targets.
 * Each echo counts the requests it answered.
 */
describe('proxy: upstreams and load balancing over real echo upstreams', () => {
  let echoes: CountingEcho[] = [];
  let dp: DataPlane;
  let base: string;

  beforeAll(async () => {
    echoes = await startCountingEchoes(3);
    dp = await startTestDataPlane();
    base = `http://127.0.0.1:${dp.proxyPort}`;
  });
  afterAll(async () => {
    await dp.stop();
    for (const e of echoes) await e.close();
  });
  beforeEach(() => {
    for (const e of echoes) e.hits = 0;
  });

  const hits = (): number[] => echoes.map((e) => e.hits);

  /** One service over upstream `pool.test` with the given targets (weights), and a route `/lb` to it. */
  function balanced(weights: number[], fields: Record<string, unknown> = {}, routeFields: Record<string, unknown> = {}): void {
    const up = upstream({ name: 'pool.test', ...fields });
    const svc = service({ name: 'balanced', host: 'pool.test', port: 80 });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: weights.map((weight, i) => target(up, { target: `127.0.0.1:${echoes[i]?.port ?? 1}`, weight })),
        services: [svc],
        routes: [route({ service: svc, paths: ['/lb'], ...routeFields })],
      }),
    );
  }

  async function send(n: number, headers: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await request(`${base}/lb`, { headers });
      expect(res.status).toBe(200);
    }
  }

  it('round-robin spreads requests in proportion to the weights', async () => {
    balanced([100, 50, 50]);
    await send(400);
    // Whole turns of the wheel (2:1:1): exact shares.
    expect(hits()).toEqual([200, 100, 100]);
  });

  it('weight 0 takes a target out of rotation', async () => {
    balanced([100, 0, 100]);
    await send(100);
    expect(hits()).toEqual([50, 0, 50]);
  });

  it("answers Kong's 503 when the upstream has no target, or only targets of weight 0", async () => {
    for (const weights of [[], [0, 0]]) {
      balanced(weights);
      const res = await request(`${base}/lb`);
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ message: 'failure to get a peer from the ring-balancer', request_id: res.headers['x-gatehouse-request-id'] });
    }
    expect(hits()).toEqual([0, 0, 0]);
  });

  it('consistent hashing on a header keeps each key on one target and spreads the keys', async () => {
    balanced([100, 100, 100], { hash_on: 'header', hash_on_header: 'x-user' });
    const placed = new Map<string, number>();
    for (let user = 0; user < 60; user++) {
      for (let n = 0; n < 3; n++) {
        const before = hits();
        await send(1, { 'x-user': `user-${user}` });
        const where = hits().findIndex((h, i) => h !== before[i]);
        if (placed.has(`user-${user}`)) expect({ user, where }).toEqual({ user, where: placed.get(`user-${user}`) });
        else placed.set(`user-${user}`, where);
      }
    }
    // 60 keys over 3 equal targets: every target gets some.
    const perTarget = [0, 1, 2].map((t) => [...placed.values()].filter((w) => w === t).length);
    expect(perTarget.every((n) => n >= 5)).toBe(true);
  });

  it('consistent hashing without the header falls back to the client address (one target for this client)', async () => {
    balanced([100, 100, 100], { hash_on: 'header', hash_on_header: 'x-user', hash_fallback: 'ip' });
    await send(30);
    expect(hits().filter((h) => h > 0)).toEqual([30]);
  });

  it("consistent hashing on a cookie: a client without it gets Kong's Set-Cookie (hash_on_cookie, a new value, hash_on_cookie_path) and sticks to one target with it", async () => {
    balanced([100, 100, 100], { hash_on: 'cookie', hash_on_cookie: 'gh-sticky', hash_on_cookie_path: '/lb' });
    const clients: { cookie: string; target: string }[] = [];
    for (let c = 0; c < 12; c++) {
      const first = await request(`${base}/lb`);
      expect(first.status).toBe(200);
      const set = first.headers['set-cookie'] ?? [];
      expect(set).toHaveLength(1);
      const m = /^gh-sticky=([0-9a-f-]{36}); Path=\/lb$/.exec(set[0] ?? '');
      expect(m).not.toBeNull();
      const cookie = `gh-sticky=${m?.[1] ?? ''}`;
      // The first request already went where the issued value hashes to.
      const target = String(first.json.headers.host);
      for (let n = 0; n < 3; n++) {
        const again = await request(`${base}/lb`, { headers: { cookie: `other=1; ${cookie}` } });
        expect(again.headers['set-cookie']).toBeUndefined();
        expect(again.json.headers.host).toBe(target);
      }
      clients.push({ cookie, target });
    }
    // Each client got its own value, and the values spread over the targets.
    expect(new Set(clients.map((c) => c.cookie)).size).toBe(12);
    expect(new Set(clients.map((c) => c.target)).size).toBeGreaterThan(1);
  });

  it('a cookie hash_fallback issues the cookie when the primary input is missing; the upstream keeps its own Set-Cookie lines', async () => {
    balanced([100, 100, 100], { hash_on: 'header', hash_on_header: 'x-user', hash_fallback: 'cookie', hash_on_cookie: 'gh-sticky' });
    const withHeader = await request(`${base}/lb`, { headers: { 'x-user': 'u1' } });
    expect(withHeader.headers['set-cookie']).toBeUndefined();
    const lb = await request(`${base}/lb/response-headers?set-cookie=app%3D1`);
    expect(lb.headers['set-cookie']).toEqual(['app=1', expect.stringMatching(/^gh-sticky=[0-9a-f-]{36}; Path=\/$/)]);
  });

  it('consistent hashing on the consumer keeps each authenticated consumer on one target', async () => {
    const up = upstream({ name: 'pool.test', hash_on: 'consumer' });
    const svc = service({ name: 'balanced', host: 'pool.test' });
    const r = route({ service: svc, paths: ['/lb'] });
    const users = Array.from({ length: 12 }, (_, i) => consumer({ username: `user-${i}` }));
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: echoes.map((e) => target(up, { target: `127.0.0.1:${e.port}` })),
        services: [svc],
        routes: [r],
        consumers: users,
        keyauth_credentials: users.map((u) => keyAuth(u, `key-${u.username ?? ''}`)),
        plugins: [plugin('key-auth', { route: r, config: {} })],
      }),
    );
    const where = new Set<number>();
    for (const u of users) {
      const seen = new Set<string>();
      for (let n = 0; n < 3; n++) {
        const res = await request(`${base}/lb`, { headers: { apikey: `key-${u.username ?? ''}` } });
        expect(res.status).toBe(200);
        seen.add(String(res.json.headers.host));
      }
      expect({ user: u.username, targets: seen.size }).toEqual({ user: u.username, targets: 1 });
      where.add(echoes.findIndex((e) => seen.has(`127.0.0.1:${e.port}`)));
    }
    // 12 consumers over 3 targets: more than one target in use.
    expect(where.size).toBeGreaterThan(1);
  });

  it("sends the target's host:port as Host, the upstream's host_header instead, or the client's with preserve_host", async () => {
    balanced([100]);
    expect((await request(`${base}/lb`)).json.headers.host).toBe(`127.0.0.1:${echoes[0]?.port ?? 0}`);
    balanced([100], { host_header: 'api.internal' });
    expect((await request(`${base}/lb`)).json.headers.host).toBe(`api.internal:${echoes[0]?.port ?? 0}`);
    balanced([100], { host_header: 'api.internal' }, { preserve_host: true });
    expect((await request(`${base}/lb`, { headers: { host: 'client.example' } })).json.headers.host).toBe('client.example');
  });

  it('least-connections and latency send every request to a target of non-zero weight', async () => {
    for (const algorithm of ['least-connections', 'latency']) {
      balanced([100, 0, 100], { algorithm });
      await send(40);
      expect(hits()[1]).toBe(0);
      expect((hits()[0] ?? 0) + (hits()[2] ?? 0)).toBe(40);
      for (const e of echoes) e.hits = 0;
    }
  });

  it('retries a refused connection on another target', async () => {
    const up = upstream({ name: 'pool.test' });
    const svc = service({ name: 'balanced', host: 'pool.test', retries: 1 });
    // Port 1 on localhost refuses; every request that lands there first is retried on the echo.
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: [target(up, { target: '127.0.0.1:1' }), target(up, { target: `127.0.0.1:${echoes[0]?.port ?? 0}` })],
        services: [svc],
        routes: [route({ service: svc, paths: ['/lb'] })],
      }),
    );
    await send(20);
    expect(hits()[0]).toBe(20);
  });

  it('sends a service back to its own host once its upstream is gone', async () => {
    balanced([100, 100, 100]);
    await send(6);
    const plain = service({ name: 'plain', port: echoes[1]?.port ?? 0 });
    applyConfig(dp, gateway({ services: [plain], routes: [route({ service: plain, paths: ['/lb'] })] }), 2);
    for (const e of echoes) e.hits = 0;
    await send(5);
    expect(hits()).toEqual([0, 5, 0]);
  });
});

describe('proxy: WebSocket upgrades to a balanced service', () => {
  const servers: { wss: WebSocketServer; port: number; connections: number }[] = [];
  let dp: DataPlane;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise<void>((r) => wss.once('listening', () => r()));
      const entry = { wss, port: (wss.address() as AddressInfo).port, connections: 0 };
      wss.on('connection', (socket) => {
        entry.connections++;
        socket.on('message', (m: Buffer) => socket.send(`${entry.port}:${m.toString()}`));
      });
      servers.push(entry);
    }
    dp = await startTestDataPlane();
  });
  afterAll(async () => {
    await dp.stop();
    for (const s of servers) await new Promise<void>((r) => s.wss.close(() => r()));
  });

  it('opens each upgrade on one of the targets, in turn', async () => {
    const up = upstream({ name: 'ws.pool' });
    const svc = service({ protocol: 'ws', host: 'ws.pool' });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: servers.map((s) => target(up, { target: `127.0.0.1:${s.port}` })),
        services: [svc],
        routes: [route({ service: svc, paths: ['/chat'], protocols: ['ws', 'wss'] })],
      }),
    );
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) {
      replies.push(
        await new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${dp.proxyPort}/chat`, { handshakeTimeout: 5000 });
          ws.once('open', () => ws.send('hi'));
          ws.once('message', (data: Buffer) => {
            resolve(data.toString());
            ws.close();
          });
          ws.once('error', reject);
        }),
      );
    }
    expect(servers.map((s) => s.connections)).toEqual([2, 2]);
    expect(replies.every((r) => r.endsWith(':hi'))).toBe(true);
  });

  it('a refused upgrade counts as a TCP failure for passive checks and is retried on another target; the dead target is ejected', async () => {
    const dead = await freePort();
    const up = upstream({ name: 'ws.pool', healthchecks: { passive: { unhealthy: { tcp_failures: 2 } } } });
    const svc = service({ protocol: 'ws', host: 'ws.pool' });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: [target(up, { target: `127.0.0.1:${servers[0]?.port ?? 0}` }), target(up, { target: `127.0.0.1:${dead}` })],
        services: [svc],
        routes: [route({ service: svc, paths: ['/chat'], protocols: ['ws', 'wss'] })],
      }),
      2,
    );
    const before = servers[0]?.connections ?? 0;
    const health = (): string | undefined =>
      dp.health
        ?.report()
        .find((u) => u.name === 'ws.pool')
        ?.targets.find((t) => t.target === `127.0.0.1:${dead}`)?.health;
    expect(health()).toBe('HEALTHY');
    for (let i = 0; i < 6; i++) {
      const reply = await new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${dp.proxyPort}/chat`, { handshakeTimeout: 5000 });
        ws.once('open', () => ws.send('hi'));
        ws.once('message', (data: Buffer) => {
          resolve(data.toString());
          ws.close();
        });
        ws.once('error', reject);
      });
      expect(reply).toBe(`${servers[0]?.port ?? 0}:hi`);
    }
    expect((servers[0]?.connections ?? 0) - before).toBe(6);
    expect(health()).toBe('UNHEALTHY');
  });
});
