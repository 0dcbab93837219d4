import { ConfigBuilder } from '../support/config-builder';
import { awayFromMinuteEdge, call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

/**
 * rate-limiting through a real DP (local policy): the Service Hub example,
 * `hwservice` with routes `external` (limited) and `internal` (not).
 */
describe('rate-limiting plugin (local policy)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'hwservice', url: echo.url });
    const external = b.route({ name: 'external', service: svc, paths: ['/external'] });
    b.route({ name: 'internal', service: svc, paths: ['/internal'] });
    b.plugin('rate-limiting', { route: external, config: { minute: 5 } });
    const two = b.route({ name: 'two-periods', service: svc, paths: ['/two'] });
    b.plugin('rate-limiting', { route: two, config: { second: 2, hour: 3 } });
    const hidden = b.route({ name: 'hidden', service: svc, paths: ['/hidden'] });
    b.plugin('rate-limiting', { route: hidden, config: { minute: 1, hide_client_headers: true } });
    const byHeader = b.route({ name: 'by-header', service: svc, paths: ['/by-header'] });
    b.plugin('rate-limiting', { route: byHeader, config: { minute: 1, limit_by: 'header', header_name: 'X-Tenant' } });
    const custom = b.route({ name: 'custom', service: svc, paths: ['/custom'] });
    b.plugin('rate-limiting', { route: custom, config: { minute: 1, error_code: 503, error_message: 'slow down' } });
    dp = await startDataPlaneWith(b.build());
    await awayFromMinuteEdge();
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  it('answers the 6th request in a minute 429 with Kong body and headers; internal is never limited', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(dp.proxy, '/external'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining-minute'))).toEqual(['4', '3', '2', '1', '0', '0']);
    const first = answers[0]!;
    expect(first.headers.get('x-ratelimit-limit-minute')).toBe('5');
    expect(first.headers.get('ratelimit-limit')).toBe('5');
    expect(first.headers.get('ratelimit-remaining')).toBe('4');
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    const limited = answers[5]!;
    expect(limited.json).toEqual({ message: 'API rate limit exceeded' });
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');

    for (let i = 0; i < 8; i++) {
      const a = await call(dp.proxy, '/internal');
      expect(a.status).toBe(200);
      expect(a.headers.get('x-ratelimit-limit-minute')).toBeNull();
    }
  });

  it('sends headers for every period and RateLimit-* for the one with the fewest left', async () => {
    const a = await call(dp.proxy, '/two');
    expect(a.status).toBe(200);
    expect(a.headers.get('x-ratelimit-limit-second')).toBe('2');
    expect(a.headers.get('x-ratelimit-remaining-second')).toBe('1');
    expect(a.headers.get('x-ratelimit-limit-hour')).toBe('3');
    expect(a.headers.get('x-ratelimit-remaining-hour')).toBe('2');
    expect(a.headers.get('ratelimit-limit')).toBe('2');
    expect(a.headers.get('ratelimit-remaining')).toBe('1');
  });

  it('hides its headers with hide_client_headers, still answering 429 with Retry-After', async () => {
    const ok = await call(dp.proxy, '/hidden');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-limit-minute')).toBeNull();
    expect(ok.headers.get('ratelimit-limit')).toBeNull();
    const limited = await call(dp.proxy, '/hidden');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });

  it('counts per header value with limit_by header', async () => {
    expect((await call(dp.proxy, '/by-header', { headers: { 'X-Tenant': 'a' } })).status).toBe(200);
    expect((await call(dp.proxy, '/by-header', { headers: { 'X-Tenant': 'a' } })).status).toBe(429);
    expect((await call(dp.proxy, '/by-header', { headers: { 'X-Tenant': 'b' } })).status).toBe(200);
  });

  it('answers with error_code and error_message when configured', async () => {
    await call(dp.proxy, '/custom');
    const limited = await call(dp.proxy, '/custom');
    expect(limited.status).toBe(503);
    expect(limited.json).toEqual({ message: 'slow down' });
  });
});
