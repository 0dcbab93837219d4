import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

/** request-transformer, response-transformer and prometheus through a real DP. */
describe('transformer and prometheus plugins', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'svc', url: echo.url });
    const route = (name: string) => b.route({ name, service: svc, paths: [`/${name}`] });
    b.plugin('request-transformer', {
      route: route('req'),
      config: {
        http_method: 'PUT',
        remove: { headers: ['x-remove'], querystring: ['drop'], body: ['secret'] },
        rename: { headers: ['x-old:x-new'], querystring: ['q1:query1'], body: ['name:full_name'] },
        replace: { headers: ['x-rep:replaced'], querystring: ['mode:fast'], body: ['status:active'], uri: '/rewritten' },
        add: { headers: ['x-added:yes', 'x-rep:never'], querystring: ['added:1'], body: ['source:gateway'] },
        append: { headers: ['x-multi:two'], querystring: ['tag:b'] },
      },
    });
    b.plugin('response-transformer', {
      route: route('resp'),
      config: {
        remove: { headers: ['x-powered-by'], json: ['headers', 'rawHeaders', 'url'] },
        rename: { json: ['method:verb'] },
        replace: { json: ['path:/hidden'] },
        add: { headers: ['x-resp:added'], json: ['count:3', 'ok:true'], json_types: ['number', 'boolean'] },
        append: { headers: ['x-resp:more'] },
      },
    });
    b.plugin('response-transformer', { route: route('resp-headers'), config: { add: { headers: ['x-only-headers:1'] } } });
    b.plugin('prometheus', { route: route('metered'), config: { status_code_metrics: true, latency_metrics: true } });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  it('request-transformer: remove, rename, replace, add, append on headers, query and JSON body; method and uri', async () => {
    const a = await call(dp.proxy, '/req?drop=1&q1=v&mode=slow&tag=a', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-remove': '1', 'x-old': 'o', 'x-rep': 'r', 'x-multi': 'one' },
      body: JSON.stringify({ secret: 's', name: 'Ada', status: 'new', keep: 1 }),
    });
    expect(a.status).toBe(200);
    expect(a.json.method).toBe('PUT');
    expect(a.json.path).toBe('/rewritten');
    expect(a.json.query).toEqual({ query1: 'v', mode: 'fast', tag: ['a', 'b'], added: '1' });
    const h = a.json.headers!;
    expect(h['x-remove']).toBeUndefined();
    expect(h['x-old']).toBeUndefined();
    expect(h['x-new']).toBe('o');
    expect(h['x-rep']).toBe('replaced');
    expect(h['x-added']).toBe('yes');
    expect(h['x-multi']).toBe('one, two');
    expect(JSON.parse(a.json.body!)).toEqual({ full_name: 'Ada', status: 'active', keep: 1, source: 'gateway' });
  });

  it('request-transformer: a urlencoded body is edited too', async () => {
    const a = await call(dp.proxy, '/req', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'secret=s&name=Ada' });
    expect(new URLSearchParams(a.json.body).toString()).toBe('full_name=Ada&source=gateway');
  });

  it('response-transformer: edits response headers and top-level JSON fields with json_types', async () => {
    const a = await call(dp.proxy, '/resp?x=1');
    expect(a.status).toBe(200);
    expect(a.headers.get('x-resp')).toBe('added, more');
    expect(a.json).toEqual({ verb: 'GET', path: '/hidden', query: { x: '1' }, body: '', count: 3, ok: true });
    expect(Number(a.headers.get('content-length'))).toBe(Buffer.byteLength(a.text));
  });

  it('response-transformer: header-only configs leave the body as the upstream sent it', async () => {
    const a = await call(dp.proxy, '/resp-headers');
    expect(a.headers.get('x-only-headers')).toBe('1');
    // strip_path (default true) leaves '/' upstream; the echo's own answer is untouched.
    expect(a.json).toMatchObject({ method: 'GET', path: '/', query: {} });
  });

  it("prometheus: counts the requests it applies to in Kong's series on /metrics", async () => {
    await call(dp.proxy, '/metered');
    await call(dp.proxy, '/metered');
    await call(dp.proxy, '/req');
    const metrics = await (await fetch(`${dp.status}/metrics`)).text();
    expect(metrics).toContain('kong_http_requests_total{service="svc",route="metered",code="200",source="service",workspace="default"} 2');
    expect(metrics.split('\n').filter((l) => l.startsWith('kong_') && l.includes('route="req"'))).toEqual([]);
    expect(metrics).toMatch(/kong_request_latency_ms_count\{service="svc",route="metered",workspace="default"\} 2/);
    expect(metrics).toMatch(/kong_upstream_latency_ms_bucket\{service="svc",route="metered",workspace="default",le="\+Inf"\} 2/);
  });
});
