import { freePort } from '../support/processes';
import { ConfigBuilder } from '../support/config-builder';
import { awayFromMinuteEdge, call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';
import { startRedis, type TestRedis } from './support/redis';

/**
 * rate-limiting with `policy: redis`: two data planes of one group share the
 * counters, so together they allow the limit, not twice it.
 */
describe('rate-limiting plugin (redis policy)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let redis: TestRedis;
  const dps: TestDataPlane[] = [];

  beforeAll(async () => {
    echo = await startEcho();
    redis = await startRedis();
    const deadRedis = await freePort();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'hwservice', url: echo.url });
    const external = b.route({ name: 'external', service: svc, paths: ['/external'] });
    b.plugin('rate-limiting', { route: external, config: { minute: 5, policy: 'redis', redis_host: '127.0.0.1', redis_port: redis.port } });
    const burst = b.route({ name: 'burst', service: svc, paths: ['/burst'] });
    b.plugin('rate-limiting', { route: burst, config: { minute: 5, policy: 'redis', redis_host: '127.0.0.1', redis_port: redis.port } });
    const tolerant = b.route({ name: 'tolerant', service: svc, paths: ['/tolerant'] });
    b.plugin('rate-limiting', { route: tolerant, config: { minute: 1, policy: 'redis', redis_host: '127.0.0.1', redis_port: deadRedis, redis_timeout: 200 } });
    const strict = b.route({ name: 'strict', service: svc, paths: ['/strict'] });
    b.plugin('rate-limiting', {
      route: strict,
      config: { minute: 1, policy: 'redis', redis_host: '127.0.0.1', redis_port: deadRedis, redis_timeout: 200, fault_tolerant: false },
    });
    dps.push(...(await Promise.all([startDataPlaneWith(b.build()), startDataPlaneWith(b.build())])));
    await awayFromMinuteEdge();
  });

  afterAll(async () => {
    await Promise.all(dps.map((d) => d.stop()));
    await redis?.stop();
    await echo?.close();
  });

  it('lets 5 requests through across two DPs, then answers 429 on both', async () => {
    const [a, b] = dps as [TestDataPlane, TestDataPlane];
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await call((i % 2 === 0 ? a : b).proxy, '/external');
      statuses.push(answer.status);
      remaining.push(answer.headers.get('x-ratelimit-remaining-minute'));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(remaining.slice(0, 5)).toEqual(['4', '3', '2', '1', '0']);
  });

  it('concurrent requests on both DPs never take more than the limit together', async () => {
    const [a, b] = dps as [TestDataPlane, TestDataPlane];
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call((i % 2 === 0 ? a : b).proxy, '/burst')));
    expect(answers.filter((x) => x.status === 200).length).toBe(5);
    expect(answers.filter((x) => x.status === 429).length).toBe(7);
  });

  it('lets requests through when Redis is unreachable (fault_tolerant), without rate headers', async () => {
    const x = await call(dps[0]!.proxy, '/tolerant');
    expect(x.status).toBe(200);
    expect(x.headers.get('x-ratelimit-limit-minute')).toBeNull();
  });

  it('answers 500 when Redis is unreachable and fault_tolerant is false', async () => {
    const x = await call(dps[0]!.proxy, '/strict');
    expect(x.status).toBe(500);
    expect(x.json).toEqual({ message: 'An unexpected error occurred' });
  });
});
