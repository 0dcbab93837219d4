import { parseDirectives, resourceTtl } from './cache-control';
import { queryArgs } from './cache-key';
import { contentTypeMatches } from './content-type';
import { MemoryStore, parseCacheSize, DEFAULT_CACHE_SIZE } from './store';
import { proxyCacheSchema } from './schema';

const entry = (bytes: number) => ({ status: 200, headers: {}, body: Buffer.alloc(bytes), storedAt: 0, ttl: 60 });

describe('proxy-cache parts', () => {
  it('the memory store evicts the least recently used entries to stay within its byte bound', () => {
    const store = new MemoryStore(1000);
    store.set('a', entry(300), 60);
    store.set('b', entry(300), 60);
    expect(store.get('a')).toBeDefined(); // a is now more recent than b
    store.set('c', entry(300), 60);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBeDefined();
    expect(store.get('c')).toBeDefined();
    expect(store.size).toBeLessThanOrEqual(1000);
    store.set('huge', entry(5000), 60);
    expect(store.get('huge')).toBeUndefined();
    expect(store.purge('a')).toBe(true);
    store.flush();
    expect(store.get('c')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('GATEHOUSE_PROXY_CACHE_SIZE takes bytes, k and m; a malformed value is named and the default kept', () => {
    expect(parseCacheSize(undefined).bytes).toBe(DEFAULT_CACHE_SIZE);
    expect(parseCacheSize('4k').bytes).toBe(4096);
    expect(parseCacheSize('2m').bytes).toBe(2 * 1024 * 1024);
    expect(parseCacheSize('1000').bytes).toBe(1000);
    expect(parseCacheSize('lots')).toEqual({ bytes: DEFAULT_CACHE_SIZE, error: expect.stringContaining('GATEHOUSE_PROXY_CACHE_SIZE') as unknown });
  });

  it('content types match as Kong: type/subtype case-insensitive, * wildcards, exactly the same parameters', () => {
    expect(contentTypeMatches('application/json', ['application/json'])).toBe(true);
    expect(contentTypeMatches('Application/JSON', ['application/json'])).toBe(true);
    expect(contentTypeMatches('application/json; charset=utf-8', ['application/json'])).toBe(false);
    expect(contentTypeMatches('application/json; charset=utf-8', ['application/json; charset=utf-8'])).toBe(true);
    expect(contentTypeMatches('text/html', ['text/*'])).toBe(true);
    expect(contentTypeMatches('text/html', ['*/*'])).toBe(true);
    expect(contentTypeMatches(undefined, ['*/*'])).toBe(false);
    expect(contentTypeMatches('', ['*/*'])).toBe(false);
  });

  it('Cache-Control directives and the resource TTL (s-maxage, max-age, Expires)', () => {
    const cc = parseDirectives('No-Store, max-age=60, s-maxage=10, private="x"');
    expect(cc.get('no-store')).toBe(true);
    expect(cc.get('max-age')).toBe(60);
    expect(cc.get('private')).toBe('"x"');
    expect(resourceTtl(cc, undefined, 0)).toBe(10);
    expect(resourceTtl(parseDirectives('max-age=5'), undefined, 0)).toBe(5);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(resourceTtl(parseDirectives(undefined), 'Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(resourceTtl(parseDirectives(undefined), 'Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(resourceTtl(parseDirectives(undefined), undefined, now)).toBe(0);
  });

  it('query arguments as Kong reads them: bare names are true, repeats are lists', () => {
    expect([...queryArgs('a=1&b&a=2&c=&d=x%20y')]).toEqual([
      ['a', ['1', '2']],
      ['b', true],
      ['c', ''],
      ['d', 'x y'],
    ]);
  });

  it('schema: Kong defaults; strategy is required and only memory exists', () => {
    const ok = proxyCacheSchema.config.safeParse({ strategy: 'memory' });
    expect(ok.success && ok.data).toMatchObject({
      response_code: [200, 301, 404],
      request_method: ['GET', 'HEAD'],
      content_type: ['text/plain', 'application/json'],
      cache_ttl: 300,
      cache_control: false,
      ignore_uri_case: false,
      storage_ttl: null,
      memory: { dictionary_name: 'kong_db_cache' },
      vary_query_params: null,
      vary_headers: null,
      response_headers: { age: true, 'X-Cache-Status': true, 'X-Cache-Key': true },
    });
    const missing = proxyCacheSchema.config.safeParse({});
    expect(missing.success ? [] : missing.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['strategy', 'required field missing']]);
    const redis = proxyCacheSchema.config.safeParse({ strategy: 'redis', cache_ttl: 0, request_method: ['DELETE'], response_code: [] });
    expect(redis.success ? [] : redis.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['cache_ttl', 'request_method.0', 'response_code', 'strategy']);
  });
});
