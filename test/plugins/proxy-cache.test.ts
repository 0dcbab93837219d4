import { createHash } from 'node:crypto';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** proxy-cache (memory strategy) through a real DP and a real echo upstream. */
describe('proxy-cache plugin', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let small: TestDataPlane;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'svc', url: echo.url });
    const route = (name: string, config: Record<string, unknown>) => {
      const r = b.route({ name, service: svc, paths: [`/${name}`] });
      ids[name] = r.id;
      b.plugin('proxy-cache', { route: r, config: { strategy: 'memory', ...config } });
    };
    route('basic', {});
    route('texts', { content_type: ['text/plain'] });
    route('vary', { vary_headers: ['X-Tenant'], vary_query_params: ['page'] });
    route('cc', { cache_control: true });
    route('short', { cache_ttl: 1 });
    route('kept', { cache_ttl: 2, storage_ttl: 30 });
    route('quiet', { response_headers: { age: false, 'X-Cache-Status': false, 'X-Cache-Key': false } });
    dp = await startDataPlaneWith(b.build());

    const s = new ConfigBuilder();
    const svc2 = s.service({ name: 'svc', url: echo.url });
    s.plugin('proxy-cache', { route: s.route({ name: 'lru', service: svc2, paths: ['/lru'] }), config: { strategy: 'memory' } });
    small = await startDataPlaneWith(s.build(), { GATEHOUSE_PROXY_CACHE_SIZE: '4k' });
  });

  afterAll(async () => {
    await dp?.stop();
    await small?.stop();
    await echo?.close();
  });

  it("Miss, then Hit with the same status, body and headers, an Age and Kong's X-Cache-Key", async () => {
    const a = await call(dp.proxy, '/basic/one?b=2&a=1');
    expect(a.status).toBe(200);
    expect(a.headers.get('x-cache-status')).toBe('Miss');
    const key = a.headers.get('x-cache-key');
    // Kong's key: sha256 of route|method|request line cut at '?'|sorted query|vary headers.
    expect(key).toBe(createHash('sha256').update(`${ids.basic}|GET|GET /basic/one|a=1:b=2|`).digest('hex'));
    const b = await call(dp.proxy, '/basic/one?a=1&b=2');
    expect(b.status).toBe(200);
    expect(b.headers.get('x-cache-status')).toBe('Hit');
    expect(b.headers.get('x-cache-key')).toBe(key);
    expect(['0', '1']).toContain(b.headers.get('age'));
    expect(b.text).toBe(a.text);
    expect(b.headers.get('content-type')).toBe('application/json');
    expect(Number(b.headers.get('content-length'))).toBe(Buffer.byteLength(b.text));
    // Without a query, nginx's request line keeps its protocol (Kong's key does too).
    const c = await call(dp.proxy, '/basic/plain');
    expect(c.headers.get('x-cache-key')).toBe(createHash('sha256').update(`${ids.basic}|GET|GET /basic/plain HTTP/1.1||`).digest('hex'));
  });

  it('a cached 404 is a Hit; HEAD is cached on its own key', async () => {
    expect((await call(dp.proxy, '/basic/status/404')).headers.get('x-cache-status')).toBe('Miss');
    const hit = await call(dp.proxy, '/basic/status/404');
    expect(hit.status).toBe(404);
    expect(hit.headers.get('x-cache-status')).toBe('Hit');
    expect((await call(dp.proxy, '/basic/status/404', { method: 'HEAD' })).headers.get('x-cache-status')).toBe('Miss');
    expect((await call(dp.proxy, '/basic/status/404', { method: 'HEAD' })).headers.get('x-cache-status')).toBe('Hit');
  });

  it('Bypass for a method not listed, a status not listed and a content type not listed', async () => {
    const post = await call(dp.proxy, '/basic/post', { method: 'POST', body: 'x' });
    expect(post.headers.get('x-cache-status')).toBe('Bypass');
    expect(post.headers.get('x-cache-key')).toBeNull();
    for (let i = 0; i < 2; i++) expect((await call(dp.proxy, '/basic/status/500')).headers.get('x-cache-status')).toBe('Bypass');
    for (let i = 0; i < 2; i++) {
      const t = await call(dp.proxy, '/texts/json');
      expect(t.status).toBe(200);
      expect(t.headers.get('x-cache-status')).toBe('Bypass');
    }
  });

  it('vary_headers and vary_query_params split keys; other params do not', async () => {
    const get = (q: string, tenant?: string) => call(dp.proxy, `/vary/x?${q}`, { headers: tenant ? { 'x-tenant': tenant } : {} });
    expect((await get('page=1&noise=a', 'acme')).headers.get('x-cache-status')).toBe('Miss');
    expect((await get('page=1&noise=b', 'acme')).headers.get('x-cache-status')).toBe('Hit');
    expect((await get('page=2', 'acme')).headers.get('x-cache-status')).toBe('Miss');
    expect((await get('page=1', 'other')).headers.get('x-cache-status')).toBe('Miss');
    expect((await get('page=1')).headers.get('x-cache-status')).toBe('Miss');
    expect((await get('page=1', 'other')).headers.get('x-cache-status')).toBe('Hit');
  });

  it('cache_control: request no-store/no-cache and Authorization bypass; response no-store/private bypass; max-age sets the TTL', async () => {
    expect((await call(dp.proxy, '/cc/a', { headers: { 'cache-control': 'no-store' } })).headers.get('x-cache-status')).toBe('Bypass');
    expect((await call(dp.proxy, '/cc/a', { headers: { authorization: 'Bearer x' } })).headers.get('x-cache-status')).toBe('Bypass');
    // No Cache-Control or Expires on the response: TTL 0, not stored.
    expect((await call(dp.proxy, '/cc/a')).headers.get('x-cache-status')).toBe('Bypass');
    const noStore = '/cc/response-headers?cache-control=no-store';
    expect((await call(dp.proxy, noStore)).headers.get('x-cache-status')).toBe('Bypass');
    expect((await call(dp.proxy, noStore)).headers.get('x-cache-status')).toBe('Bypass');
    const priv = '/cc/response-headers?cache-control=private,max-age=60';
    expect((await call(dp.proxy, priv)).headers.get('x-cache-status')).toBe('Bypass');

    const fresh = '/cc/response-headers?cache-control=max-age%3D60';
    expect((await call(dp.proxy, fresh)).headers.get('x-cache-status')).toBe('Miss');
    expect((await call(dp.proxy, fresh)).headers.get('x-cache-status')).toBe('Hit');
    await sleep(1100);
    // The client's max-age=0 refuses a copy older than 0 s: fetched again.
    expect((await call(dp.proxy, fresh, { headers: { 'cache-control': 'max-age=0' } })).headers.get('x-cache-status')).toBe('Refresh');
    const hit = await call(dp.proxy, fresh);
    expect(hit.headers.get('x-cache-status')).toBe('Hit');

    // s-maxage=1 wins over max-age: gone from storage after a second.
    const shared = '/cc/response-headers?cache-control=max-age%3D60,s-maxage%3D1';
    expect((await call(dp.proxy, shared)).headers.get('x-cache-status')).toBe('Miss');
    await sleep(1300);
    expect((await call(dp.proxy, shared)).headers.get('x-cache-status')).toBe('Miss');
    // only-if-cached with nothing cached: 504.
    expect((await call(dp.proxy, '/cc/nothing', { headers: { 'cache-control': 'only-if-cached' } })).status).toBe(504);
  });

  it('cache_ttl: an entry expires (Miss); with a longer storage_ttl it is fetched again as Refresh, Age counting', async () => {
    expect((await call(dp.proxy, '/short/t')).headers.get('x-cache-status')).toBe('Miss');
    expect((await call(dp.proxy, '/kept/t')).headers.get('x-cache-status')).toBe('Miss');
    await sleep(1100);
    const aged = await call(dp.proxy, '/kept/t');
    expect(aged.headers.get('x-cache-status')).toBe('Hit');
    // Whole seconds, as Kong's: 1 or 2 after 1.1 s depending on where the second started.
    expect(['1', '2']).toContain(aged.headers.get('age'));
    await sleep(2000);
    // cache_ttl 1 is also the storage TTL: gone.
    expect((await call(dp.proxy, '/short/t')).headers.get('x-cache-status')).toBe('Miss');
    // Kept for storage_ttl 30 but older than cache_ttl 2: fetched again, then served.
    expect((await call(dp.proxy, '/kept/t')).headers.get('x-cache-status')).toBe('Refresh');
    const again = await call(dp.proxy, '/kept/t');
    expect(again.headers.get('x-cache-status')).toBe('Hit');
    expect(['0', '1']).toContain(again.headers.get('age'));
  });

  it('response_headers off: no diagnostic headers, unless the client sends Kong-Debug', async () => {
    const a = await call(dp.proxy, '/quiet/x');
    const b = await call(dp.proxy, '/quiet/x');
    expect(b.text).toBe(a.text);
    for (const h of ['x-cache-status', 'x-cache-key', 'age']) expect(b.headers.get(h)).toBeNull();
    const dbg = await call(dp.proxy, '/quiet/x', { headers: { 'kong-debug': '1' } });
    expect(dbg.headers.get('x-cache-status')).toBe('Hit');
    expect(dbg.headers.get('x-cache-key')).toMatch(/^[0-9a-f]{64}$/);
    expect(dbg.headers.get('age')).not.toBeNull();
  });

  it('LRU under the byte bound (GATEHOUSE_PROXY_CACHE_SIZE=4k): the least recently used entry is evicted', async () => {
    expect((await call(small.proxy, '/lru/first')).headers.get('x-cache-status')).toBe('Miss');
    expect((await call(small.proxy, '/lru/first')).headers.get('x-cache-status')).toBe('Hit');
    // Each echo answer is a few hundred bytes: twenty of them do not fit in 4 KiB.
    for (let i = 0; i < 20; i++) await call(small.proxy, `/lru/other-${i}`);
    expect((await call(small.proxy, '/lru/other-19')).headers.get('x-cache-status')).toBe('Hit');
    expect((await call(small.proxy, '/lru/first')).headers.get('x-cache-status')).toBe('Miss');
  });
});
