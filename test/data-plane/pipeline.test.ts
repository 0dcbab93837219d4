import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import type { RequestContext } from '../../packages/data-plane/src/proxy/request-context';
import { applyConfig, request, startEcho, startTestDataPlane } from './support';
import { consumer, gateway, keyAuth, plugin, route, service } from '../support/config-builder';

/**
 * The proxy hosts the plugin chains (packages/data-plane/src/plugins): these
 * tests check each phase is wired — access exits, upstream changes, header
 * and body filters, the log phase and the consumer reaching the observers —
 * using real plugins. Each plugin's own behaviour is tested with the plugins.
 */
describe('proxy hosts the plugin pipeline', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;
  let base: string;
  const finished: RequestContext[] = [];
  const alice = consumer({ username: 'alice' });

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane();
    dp.observers.push((ctx) => finished.push(ctx));
    base = `http://127.0.0.1:${dp.proxyPort}`;
    const svc = service({ port: echo.port });
    const authed = route({ service: svc, paths: ['/authed'] });
    const closed = route({ service: svc, paths: ['/maintenance'] });
    const shaped = route({ service: svc, paths: ['/shaped'] });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [authed, closed, shaped, route({ service: svc, paths: ['/plain'] })],
        consumers: [alice],
        keyauth_credentials: [keyAuth(alice, 'alice-key')],
        plugins: [
          plugin('key-auth', { route: { id: authed.id }, config: {} }),
          plugin('request-termination', { route: { id: closed.id }, config: { status_code: 503, message: 'down for maintenance' } }),
          plugin('response-transformer', {
            route: { id: shaped.id },
            config: { add: { headers: ['x-shaped:yes'], json: ['added:true'], json_types: ['boolean'] } },
          }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    await echo.close();
  });

  it('answers an access-phase exit instead of calling the upstream, with the gateway headers', async () => {
    const res = await request(`${base}/maintenance`);
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ message: 'down for maintenance' });
    expect(res.headers['x-gatehouse-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('authenticates, changes the upstream request, and reports the consumer to observers', async () => {
    expect((await request(`${base}/authed`)).json).toMatchObject({ message: 'No API key found in request' });
    finished.length = 0;
    const ok = await request(`${base}/authed/x`, { headers: { apikey: 'alice-key' } });
    expect(ok.status).toBe(200);
    expect(ok.json.headers['x-consumer-username']).toBe('alice');
    await new Promise((r) => setImmediate(r));
    expect(finished.map((c) => [c.consumerId, c.status])).toEqual([[alice.id, 200]]);
  });

  it('runs header and body filters on the upstream response, fixing Content-Length', async () => {
    const res = await request(`${base}/shaped/abc`);
    expect(res.headers['x-shaped']).toBe('yes');
    expect(res.json).toMatchObject({ path: '/abc', added: true });
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });

  it('keeps plugin-free routes plugin-free', async () => {
    const res = await request(`${base}/plain`, { headers: { apikey: 'whatever' } });
    expect(res.status).toBe(200);
    expect(res.json.headers.apikey).toBe('whatever');
    expect(res.headers['x-shaped']).toBeUndefined();
  });
});
