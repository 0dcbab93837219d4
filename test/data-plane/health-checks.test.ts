import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyConfig, request, startTestDataPlane } from './support';
import { gateway, route, service, target, upstream } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';

/** An upstream that counts its requests and can be stopped and started again on the same port; `status` is what it answers. */
interface Backend {
  port: number;
  hits: number;
  status: number;
  /** The Host and x-probe headers of the last active probe. */
  probe: { host?: string; tag?: string | string[] };
  stop(): Promise<void>;
  restart(): Promise<void>;
}

async function startBackend(status = 200): Promise<Backend> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/probe') b.hits++;
    else b.probe = { host: req.headers.host, tag: req.headers['x-probe'] };
    res.writeHead(req.url === '/probe' ? 200 : b.status, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const b: Backend = {
    port: (server.address() as AddressInfo).port,
    hits: 0,
    status,
    probe: {},
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    restart: () => new Promise<void>((resolve) => server.listen(b.port, '127.0.0.1', resolve)),
  };
  return b;
}

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Health checks and circuit breaking end to end: a real DP (real listeners)
 * in front of real upstreams that are stopped, restarted, or answer 500s.
 */
describe('proxy: active and passive health checks over real upstreams', () => {
  let dp: DataPlane;
  let base: string;
  const backends: Backend[] = [];

  beforeAll(async () => {
    dp = await startTestDataPlane();
    base = `http://127.0.0.1:${dp.proxyPort}`;
  });
  afterEach(async () => {
    applyConfig(dp, gateway(), 99);
    for (const b of backends.splice(0)) await b.stop().catch(() => undefined);
  });
  afterAll(async () => {
    await dp.stop();
  });

  function balanced(targets: Backend[], healthchecks: unknown, fields: Record<string, unknown> = {}): void {
    const up = upstream({ name: 'pool.test', healthchecks, ...fields } as Parameters<typeof upstream>[0]);
    const svc = service({ name: 'balanced', host: 'pool.test', port: 80 });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: targets.map((b) => target(up, { target: `127.0.0.1:${b.port}` })),
        services: [svc],
        routes: [route({ service: svc, paths: ['/lb'] })],
      }),
      backends.length,
    );
  }

  const healthOf = (port: number): string | undefined =>
    dp.health
      ?.report()
      .find((u) => u.name === 'pool.test')
      ?.targets.find((t) => t.target === `127.0.0.1:${port}`)?.health;

  async function send(n: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await request(`${base}/lb`)).status);
    return statuses;
  }

  it('active checks: a stopped target is marked UNHEALTHY and gets nothing; restarted, it is HEALTHY and back in rotation', async () => {
    const [a, b] = [await startBackend(), await startBackend()] as [Backend, Backend];
    backends.push(a, b);
    balanced([a, b], {
      active: {
        http_path: '/probe',
        timeout: 1,
        headers: { 'x-probe': ['gatehouse'] },
        healthy: { interval: 0.1, successes: 2 },
        unhealthy: { interval: 0.1, tcp_failures: 2, http_failures: 2 },
      },
    });
    expect(healthOf(b.port)).toBe('HEALTHY');
    // Kong's probe: GET http_path with the configured headers, Host the target's host without its port.
    await waitFor('a probe', () => a.probe.host !== undefined);
    expect(a.probe).toEqual({ host: '127.0.0.1', tag: 'gatehouse' });
    await send(10);
    expect([a.hits, b.hits]).toEqual([5, 5]);

    await b.stop();
    await waitFor('the stopped target to be UNHEALTHY', () => healthOf(b.port) === 'UNHEALTHY');
    a.hits = 0;
    expect(await send(20)).toEqual(Array(20).fill(200));
    expect(a.hits).toBe(20);

    await b.restart();
    b.hits = 0;
    await waitFor('the restarted target to be HEALTHY', () => healthOf(b.port) === 'HEALTHY');
    await send(10);
    expect(b.hits).toBe(5);
  });

  it('passive checks (circuit breaker): a target answering 500s is ejected after http_failures; it stays out until a manual override', async () => {
    const [good, sick] = [await startBackend(200), await startBackend(500)] as [Backend, Backend];
    backends.push(good, sick);
    balanced([good, sick], { passive: { unhealthy: { http_failures: 3 } } });
    const statuses = await send(30);
    expect(sick.hits).toBe(3);
    expect(statuses.filter((s) => s === 500)).toHaveLength(3);
    expect(good.hits).toBe(27);
    expect(healthOf(sick.port)).toBe('UNHEALTHY');
    // Only passive checks: it never comes back by itself, even healed.
    sick.status = 200;
    await send(10);
    expect(sick.hits).toBe(3);
    expect(dp.health?.override('pool.test', `127.0.0.1:${sick.port}`, true)).toBe(true);
    expect(healthOf(sick.port)).toBe('HEALTHY');
    await send(10);
    expect(sick.hits).toBe(8);
  });

  it("active probes send the upstream's host_header as Host", async () => {
    const a = await startBackend();
    backends.push(a);
    balanced([a], { active: { http_path: '/probe', healthy: { interval: 0.1, successes: 1 } } }, { host_header: 'api.internal' });
    await waitFor('a probe', () => a.probe.host !== undefined);
    expect(a.probe.host).toBe('api.internal');
  });

  it('passive checks count TCP failures: a stopped target is ejected while retries keep every request answered', async () => {
    const [a, b] = [await startBackend(), await startBackend()] as [Backend, Backend];
    backends.push(a, b);
    balanced([a, b], { passive: { unhealthy: { tcp_failures: 2 } } });
    await b.stop();
    expect(await send(20)).toEqual(Array(20).fill(200));
    expect(a.hits).toBe(20);
    expect(healthOf(b.port)).toBe('UNHEALTHY');
  });

  it("threshold: when the healthy share of the weight falls below it, every request gets Kong's 503", async () => {
    const [good, sick] = [await startBackend(200), await startBackend(500)] as [Backend, Backend];
    backends.push(good, sick);
    balanced([good, sick], { threshold: 60, passive: { unhealthy: { http_failures: 1 } } });
    await send(2);
    expect(healthOf(sick.port)).toBe('UNHEALTHY');
    const res = await request(`${base}/lb`);
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ message: 'failure to get a peer from the ring-balancer', request_id: res.headers['x-gatehouse-request-id'] });
    good.hits = 0;
    dp.health?.override('pool.test', `127.0.0.1:${sick.port}`, true);
    sick.status = 200;
    expect(await send(4)).toEqual([200, 200, 200, 200]);
    expect(good.hits).toBe(2);
  });

  it('health checks off: targets show HEALTHCHECKS_OFF and 500s eject nothing', async () => {
    const [a, b] = [await startBackend(200), await startBackend(500)] as [Backend, Backend];
    backends.push(a, b);
    balanced([a, b], {});
    await send(20);
    expect([a.hits, b.hits]).toEqual([10, 10]);
    expect(healthOf(b.port)).toBe('HEALTHCHECKS_OFF');
  });
});
