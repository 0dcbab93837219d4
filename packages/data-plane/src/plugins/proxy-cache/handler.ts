import type { OutgoingHttpHeaders } from 'node:http';
import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import type { PluginRuntime } from '../runtime';
import { parseDirectives, resourceTtl, seconds } from './cache-control';
import { buildCacheKey, requestLineKey } from './cache-key';
import { contentTypeMatches } from './content-type';
import { memoryStores } from './purge';
import { MemoryStore, parseCacheSize } from './store';
import type { ProxyCacheConfig } from './schema';

interface Prepared {
  conf: ProxyCacheConfig;
  methods: ReadonlySet<string>;
  codes: ReadonlySet<number>;
  store: MemoryStore;
}

/** What access left for the response phases: a miss or refresh to store under `key`. */
interface Pending {
  key: string;
  headers?: OutgoingHttpHeaders;
  ttl?: number;
}

const STATE = 'proxy-cache';

/** Headers never replayed from the cache (Kong's hop-by-hop list, with content-length, which is recomputed). */
const NOT_REPLAYED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/** The memory store named `name`, one per DP worker, sized by GATEHOUSE_PROXY_CACHE_SIZE. */
export function memoryStore(runtime: PluginRuntime, name: string): MemoryStore {
  const stores = memoryStores(runtime);
  let store = stores.get(name);
  if (store === undefined) {
    const size = parseCacheSize(process.env.GATEHOUSE_PROXY_CACHE_SIZE);
    if (size.error !== undefined) runtime.log.warn({ event: 'proxy_cache_size_invalid' }, size.error);
    store = new MemoryStore(size.bytes);
    stores.set(name, store);
  }
  return store;
}

/** Kong's `set_header`: a diagnostic header is sent when enabled in `response_headers` or the client sent Kong-Debug. */
function diagnostic(ctx: PluginContext, conf: ProxyCacheConfig, name: 'age' | 'X-Cache-Status' | 'X-Cache-Key'): boolean {
  return conf.response_headers[name] || ctx.header('kong-debug') !== undefined;
}

function signal(ctx: PluginContext, p: Prepared, key: string, status: 'Miss' | 'Refresh' | 'Bypass'): void {
  ctx.set(STATE, { key } satisfies Pending);
  if (diagnostic(ctx, p.conf, 'X-Cache-Status')) ctx.responseHeaders['x-cache-status'] = status;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function single(v: string | string[] | number | undefined): string | undefined {
  return Array.isArray(v) ? undefined : v === undefined ? undefined : String(v);
}

/**
 * proxy-cache (priority 100), memory strategy. access: a cacheable request
 * (method listed; with cache_control, no no-store/no-cache/Authorization) is
 * looked up by Kong's key; a fresh entry is answered from memory with `Age`,
 * `X-Cache-Status: Hit` and `X-Cache-Key`, anything else goes upstream marked
 * Miss or Refresh. header_filter: the upstream's answer is kept only when its
 * status, content type and (with cache_control) Cache-Control allow it, else
 * marked Bypass. body_filter: the whole body is stored with the headers.
 */
export const proxyCacheHandler: PluginHandler<ProxyCacheConfig, Prepared> = {
  name: 'proxy-cache',
  priority: 100,
  prepare(conf, env) {
    return { conf, methods: new Set(conf.request_method), codes: new Set(conf.response_code), store: memoryStore(env.runtime, conf.memory.dictionary_name) };
  },
  transformsResponseBody: () => true,
  access(ctx, p) {
    const conf = p.conf;
    const cc = parseDirectives(ctx.headers['cache-control']);
    const uncacheable = conf.cache_control && (cc.has('no-store') || cc.has('no-cache') || ctx.headers.authorization !== undefined);
    if (!p.methods.has(ctx.method) || uncacheable) {
      if (diagnostic(ctx, conf, 'X-Cache-Status')) ctx.responseHeaders['x-cache-status'] = 'Bypass';
      return;
    }
    const uri = requestLineKey(ctx.method, ctx.requestUri, ctx.httpVersion);
    const q = ctx.requestUri.indexOf('?');
    const key = buildCacheKey({
      consumerId: ctx.consumer?.id ?? null,
      routeId: ctx.routeId,
      method: ctx.method,
      uri: conf.ignore_uri_case ? uri.toLowerCase() : uri,
      rawQuery: q < 0 ? '' : ctx.requestUri.slice(q + 1),
      headerLines: (n) => ctx.headerLines(n),
      varyQueryParams: conf.vary_query_params,
      varyHeaders: conf.vary_headers,
    });
    if (diagnostic(ctx, conf, 'X-Cache-Key')) ctx.responseHeaders['x-cache-key'] = key;

    const res = p.store.get(key);
    if (res === undefined) {
      // RFC 7234 5.2.1.7: the client wants only what is cached.
      if (conf.cache_control && cc.has('only-if-cached')) return ctx.exit(504);
      return signal(ctx, p, key, 'Miss');
    }
    // Whole seconds, as Kong's ngx.time(): an entry is served while its age is at most the TTL.
    const ageSeconds = nowSeconds() - res.storedAt;
    if (conf.cache_control) {
      const maxAge = seconds(cc, 'max-age');
      if (maxAge !== undefined && ageSeconds > maxAge) return signal(ctx, p, key, 'Refresh');
      const maxStale = seconds(cc, 'max-stale');
      if (maxStale !== undefined && ageSeconds - res.ttl > maxStale) return signal(ctx, p, key, 'Refresh');
      const minFresh = seconds(cc, 'min-fresh');
      if (minFresh !== undefined && res.ttl - ageSeconds < minFresh) return signal(ctx, p, key, 'Refresh');
    } else if (ageSeconds > conf.cache_ttl) {
      // Kept up to storage_ttl, but never served staler than cache_ttl.
      return signal(ctx, p, key, 'Refresh');
    }

    const headers: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (NOT_REPLAYED.has(k) || k.includes('ratelimit-remaining')) continue;
      if (k === 'age' || k === 'x-cache-status' || k === 'x-cache-key') continue;
      headers[k] = v;
    }
    if (diagnostic(ctx, conf, 'age')) headers.age = String(ageSeconds);
    if (diagnostic(ctx, conf, 'X-Cache-Status')) headers['x-cache-status'] = 'Hit';
    if (diagnostic(ctx, conf, 'X-Cache-Key')) headers['x-cache-key'] = key;
    ctx.exit(res.status, res.body, headers);
  },
  headerFilter(ctx, p) {
    const pending = ctx.get(STATE) as Pending | undefined;
    if (pending === undefined) return;
    const conf = p.conf;
    const cc = parseDirectives(ctx.responseHeaders['cache-control']);
    const ttl = conf.cache_control ? resourceTtl(cc, ctx.responseHeaders.expires, Date.now()) : conf.cache_ttl;
    const cacheable =
      p.codes.has(ctx.status) &&
      contentTypeMatches(single(ctx.responseHeaders['content-type']), conf.content_type) &&
      !(conf.cache_control && (cc.has('private') || cc.has('no-store') || cc.has('no-cache') || ttl <= 0));
    if (!cacheable) {
      if (diagnostic(ctx, conf, 'X-Cache-Status')) ctx.responseHeaders['x-cache-status'] = 'Bypass';
      ctx.set(STATE, undefined);
      return;
    }
    pending.headers = { ...ctx.responseHeaders };
    pending.ttl = ttl;
  },
  bodyFilter(ctx, p, body) {
    const pending = ctx.get(STATE) as Pending | undefined;
    if (pending?.headers === undefined || pending.ttl === undefined) return body;
    const conf = p.conf;
    const storageTtl = conf.storage_ttl ?? (conf.cache_control ? pending.ttl : conf.cache_ttl);
    p.store.set(pending.key, { status: ctx.status, headers: pending.headers, body, storedAt: nowSeconds(), ttl: pending.ttl }, storageTtl);
    return body;
  },
};
