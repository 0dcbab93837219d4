import type { EchoReply } from '../../packages/echo/src';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { DP_VERSION } from '../../packages/data-plane/src/version';
import { gateway, route, service } from '../support/config-builder';
import { freePort } from '../support/processes';
import { applyConfig, request, startEcho, startTestDataPlane } from './support';

const TOKEN = `gatehouse/${DP_VERSION}`;

/**
 * GATEHOUSE_HEADERS and GATEHOUSE_HEADERS_UPSTREAM through real DPs and the
 * echo upstream, after Kong's spec of its `headers` setting
 * (proxy/14-server_tokens): which headers a proxied response and an answer
 * the gateway gives itself carry, under Kong's names, Gatehouse's, or none.
 */
describe('proxy: the gateway headers a DP sends (GATEHOUSE_HEADERS)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  const dps: DataPlane[] = [];

  /** A DP with these settings serving /echo (the echo upstream) and /up (stripped, for /up/response-headers). */
  async function dpWith(env: Record<string, string>): Promise<string> {
    const dp = await startTestDataPlane(env);
    dps.push(dp);
    const svc = service({ name: 'echo', port: echo.port });
    const dead = service({ name: 'dead', port: await freePort(), retries: 0 });
    applyConfig(
      dp,
      gateway({
        services: [svc, dead],
        routes: [route({ service: svc, paths: ['/echo'] }), route({ service: svc, paths: ['/up'] }), route({ service: dead, paths: ['/dead'] })],
      }),
    );
    return `http://127.0.0.1:${dp.proxyPort}`;
  }

  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(async () => {
    for (const dp of dps) await dp.stop();
    await echo.close();
  });

  it('by default: X-Gatehouse-* latencies and request id, Via, and Server where the upstream sent none', async () => {
    const base = await dpWith({});
    const proxied = await request(`${base}/echo`);
    expect(proxied.headers.via).toBe(`1.1 ${TOKEN}`);
    expect(proxied.headers.server).toBe(TOKEN);
    expect(proxied.headers['x-gatehouse-upstream-latency']).toMatch(/^\d+$/);
    expect(proxied.headers['x-gatehouse-proxy-latency']).toMatch(/^\d+$/);
    expect(proxied.headers['x-gatehouse-response-latency']).toBeUndefined();
    expect((proxied.json as EchoReply).headers['x-gatehouse-request-id']).toBe(proxied.headers['x-gatehouse-request-id']);

    const keptServer = await request(`${base}/up/response-headers?server=origin`);
    expect(keptServer.headers.server).toBe('origin');

    const answered = await request(`${base}/nowhere`);
    expect(answered.status).toBe(404);
    expect(answered.headers.server).toBe(TOKEN);
    expect(answered.headers.via).toBeUndefined();
    expect(answered.headers['x-gatehouse-response-latency']).toMatch(/^\d+$/);
    expect(answered.headers['x-gatehouse-upstream-latency']).toBeUndefined();
  });

  it("with kong.conf's default value: Kong's header names, to the client and the upstream", async () => {
    const base = await dpWith({
      GATEHOUSE_HEADERS: 'server_tokens, latency_tokens, X-Kong-Request-Id, X-Kong-Upstream-Status',
      GATEHOUSE_HEADERS_UPSTREAM: 'X-Kong-Request-Id',
    });
    const proxied = await request(`${base}/up/status/201`);
    expect(proxied.status).toBe(201);
    expect(proxied.headers.via).toBe(`1.1 ${TOKEN}`);
    expect(proxied.headers.server).toBe(TOKEN);
    expect(proxied.headers['x-kong-upstream-latency']).toMatch(/^\d+$/);
    expect(proxied.headers['x-kong-proxy-latency']).toMatch(/^\d+$/);
    expect(proxied.headers['x-kong-upstream-status']).toBe('201');
    expect(proxied.headers['x-kong-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const upstreamSaw = (proxied.json as EchoReply).headers;
    expect(upstreamSaw['x-kong-request-id']).toBe(proxied.headers['x-kong-request-id']);
    expect(upstreamSaw['x-gatehouse-request-id']).toBeUndefined();
    expect(Object.keys(proxied.headers).filter((h) => h.startsWith('x-gatehouse-'))).toEqual([]);

    const answered = await request(`${base}/nowhere`);
    expect(answered.headers.server).toBe(TOKEN);
    expect(answered.headers['x-kong-response-latency']).toMatch(/^\d+$/);
    expect(answered.headers['x-kong-request-id']).toBe((answered.json as { request_id: string }).request_id);
    expect(answered.headers['x-kong-upstream-status']).toBeUndefined();
    expect(Object.keys(answered.headers).filter((h) => h.startsWith('x-gatehouse-'))).toEqual([]);

    // Kong counts a 502 after trying the upstream as proxied: the proxied set, no response latency.
    const failed = await request(`${base}/dead`);
    expect(failed.status).toBe(502);
    expect(failed.headers['x-kong-upstream-latency']).toMatch(/^\d+$/);
    expect(failed.headers['x-kong-proxy-latency']).toMatch(/^\d+$/);
    expect(failed.headers['x-kong-response-latency']).toBeUndefined();
    expect(failed.headers.via).toBe(`1.1 ${TOKEN}`);
    expect(failed.headers.server).toBe(TOKEN);
    expect(failed.headers['x-kong-request-id']).toBe((failed.json as { request_id: string }).request_id);
  });

  it('off: none of them, the upstream Server passed through, and no request id upstream with headers_upstream off', async () => {
    const base = await dpWith({ GATEHOUSE_HEADERS: 'off', GATEHOUSE_HEADERS_UPSTREAM: 'off' });
    const proxied = await request(`${base}/echo`);
    expect(proxied.status).toBe(200);
    const own = (names: string[]): string[] => names.filter((h) => h === 'via' || h === 'server' || h.startsWith('x-gatehouse-') || h.startsWith('x-kong-'));
    expect(own(Object.keys(proxied.headers))).toEqual([]);
    // Kong sends Via upstream whatever `headers` says; the request id goes with headers_upstream.
    expect(own(Object.keys((proxied.json as EchoReply).headers))).toEqual(['via']);
    expect((await request(`${base}/up/response-headers?server=origin`)).headers.server).toBe('origin');

    const answered = await request(`${base}/nowhere`);
    expect(answered.status).toBe(404);
    expect(own(Object.keys(answered.headers))).toEqual([]);
    // The body keeps its request id, as Kong's does.
    expect((answered.json as { request_id: string }).request_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('Via only (headers = Via): Via on proxied responses, no Server anywhere the gateway would add one', async () => {
    const base = await dpWith({ GATEHOUSE_HEADERS: 'Via' });
    const proxied = await request(`${base}/echo`);
    expect(proxied.headers.via).toBe(`1.1 ${TOKEN}`);
    expect(proxied.headers.server).toBeUndefined();
    const answered = await request(`${base}/nowhere`);
    expect(answered.headers.via).toBeUndefined();
    expect(answered.headers.server).toBeUndefined();
  });
});
