import type { PluginRuntime } from '../runtime';
import type { MemoryStore } from './store';

/** This process's proxy-cache memory stores by `memory.dictionary_name` (kept for the life of the DP). */
export function memoryStores(runtime: PluginRuntime): Map<string, MemoryStore> {
  return runtime.singleton('proxy-cache:stores', () => new Map<string, MemoryStore>());
}

/**
 * Kong's purge: drops `cacheKey` from every store, or every entry of every
 * store when it is null (`DELETE /proxy-cache`). Answers how many entries went.
 */
export function purgeProxyCache(runtime: PluginRuntime, cacheKey: string | null): number {
  let dropped = 0;
  for (const store of memoryStores(runtime).values()) {
    if (cacheKey !== null) {
      if (store.purge(cacheKey)) dropped++;
    } else {
      dropped += store.count;
      store.flush();
    }
  }
  runtime.log.info({ event: 'proxy_cache_purged', cache_key: cacheKey, entries: dropped });
  return dropped;
}
