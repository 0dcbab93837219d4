import { applyConfig, request, startCountingEchoes, startEcho, startTestDataPlane, type CountingEcho } from './support';
import { gateway, route, service, target, upstream } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';

/**
 * Gatehouse's circuit breaker end to end: `max_concurrent_requests_per_target`
 * on an upstream of real echo targets; slow requests (`/delay/{ms}`) hold a
 * target's slots, the next request goes to another target, and when every
 * target is at its limit the DP answers Kong's 503.
 */
describe('proxy: max_concurrent_requests_per_target', () => {
  let echoes: CountingEcho[] = [];
  let dp: DataPlane;
  let base: string;

  beforeAll(async () => {
    echoes = await startCountingEchoes(2);
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

  /** Service `limited` over upstream `limited.test` (the echoes with `weights`, or `targets` as given), route `/lb`. */
  function limited(max: number | null, weights: number[], targets?: string[]): void {
    const up = upstream({ name: 'limited.test', max_concurrent_requests_per_target: max });
    const svc = service({ name: 'limited', host: 'limited.test', retries: 0 });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: (targets ?? weights.map((_, i) => `127.0.0.1:${echoes[i]?.port ?? 1}`)).map((t, i) => target(up, { target: t, weight: weights[i] ?? 100 })),
        services: [svc],
        routes: [route({ service: svc, paths: ['/lb'] })],
      }),
    );
  }

  const statuses = async (n: number, path: string): Promise<number[]> =>
    (await Promise.all(Array.from({ length: n }, () => request(`${base}${path}`)))).map((r) => r.status).sort();

  it('sends to the favoured target while it is below the limit', async () => {
    limited(2, [100, 1]);
    for (let i = 0; i < 10; i++) expect((await request(`${base}/lb/anything`)).status).toBe(200);
    // One request at a time never reaches the limit, so only the weights decide: the weight-1 slot of the
    // shuffled 101-slot wheel falls in 10 consecutive picks at most once.
    const [favoured = 0, other = 0] = hits();
    expect(favoured).toBeGreaterThanOrEqual(9);
    expect(favoured + other).toBe(10);
  });

  it('skips a target at its limit: the overflow goes to the other target, then 503 when both are full', async () => {
    limited(2, [100, 1]);
    const res = await statuses(5, '/lb/delay/1000');
    expect(res).toEqual([200, 200, 200, 200, 503]);
    expect(hits()).toEqual([2, 2]);
  });

  it("answers Kong's 503 message when every target is at its limit, and frees the slots when requests end", async () => {
    limited(1, [100, 100]);
    const slow = [request(`${base}/lb/delay/1000`), request(`${base}/lb/delay/1000`)];
    await new Promise((r) => setTimeout(r, 300));
    const refused = await request(`${base}/lb/anything`);
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({ message: 'failure to get a peer from the ring-balancer', request_id: refused.headers['x-gatehouse-request-id'] });
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    // Both slots are free again.
    expect(await statuses(2, '/lb/delay/200')).toEqual([200, 200]);
  });

  it('frees the slot of a try that failed (connection refused)', async () => {
    const closed = Object.assign(await startEcho(), { hits: 0 });
    const port = closed.port;
    await closed.close();
    limited(1, [100], [`127.0.0.1:${port}`]);
    for (let i = 0; i < 3; i++) expect((await request(`${base}/lb/anything`)).status).toBe(502);
  });

  it('has no limit by default (null)', async () => {
    limited(null, [100, 1]);
    expect(await statuses(6, '/lb/delay/300')).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
