import { LRUCache } from 'lru-cache';
import type { OutgoingHttpHeaders } from 'node:http';

/** One cached response (Kong's cached `res` table). */
export interface CachedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** When it was stored (whole seconds since the epoch, as Kong's `ngx.time()`). */
  storedAt: number;
  /** Seconds it may be served for (cache_ttl, or the Cache-Control TTL with cache_control). */
  ttl: number;
}

/** 128 MiB: Kong's `mem_cache_size` default, the size of its `kong_db_cache` shared dict. */
export const DEFAULT_CACHE_SIZE = 128 * 1024 * 1024;

/**
 * Reads GATEHOUSE_PROXY_CACHE_SIZE: bytes, or a number with `k` or `m`
 * (nginx's size units, as `lua_shared_dict kong_db_cache 128m`). Answers the
 * default with an error message when the value is malformed.
 */
export function parseCacheSize(value: string | undefined): { bytes: number; error?: string } {
  if (value === undefined || value.trim() === '') return { bytes: DEFAULT_CACHE_SIZE };
  const m = /^\s*(\d+)\s*([kKmM]?)\s*$/.exec(value);
  const n = m ? Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2] ?? '') ? 1024 : 1024 * 1024) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    return { bytes: DEFAULT_CACHE_SIZE, error: `GATEHOUSE_PROXY_CACHE_SIZE: expected a size such as 128m, 512k or 1048576, got '${value}'` };
  return { bytes: n };
}

function headerBytes(headers: OutgoingHttpHeaders): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers)) n += k.length + (Array.isArray(v) ? v.join('').length : String(v).length) + 4;
  return n;
}

/**
 * One memory store (Kong's shared dict named by `memory.dictionary_name`):
 * an LRU bounded by the bytes of its entries (body, headers and key), each
 * entry dropped after its storage TTL. Least recently used entries go first
 * when a new one does not fit; one bigger than the whole bound is not kept.
 */
export class MemoryStore {
  private readonly lru: LRUCache<string, CachedResponse>;

  constructor(readonly maxBytes: number) {
    this.lru = new LRUCache<string, CachedResponse>({
      maxSize: maxBytes,
      sizeCalculation: (v, key) => Math.max(1, v.body.length + headerBytes(v.headers) + key.length + 64),
    });
  }

  get(key: string): CachedResponse | undefined {
    return this.lru.get(key);
  }

  /** Keeps `res` under `key` for `storageTtl` seconds (0 or less: until evicted, as a shared dict's 0 exptime). */
  set(key: string, res: CachedResponse, storageTtl: number): void {
    this.lru.set(key, res, { ttl: storageTtl > 0 ? storageTtl * 1000 : 0 });
  }

  /** Drops one entry; true when it was there. */
  purge(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Drops every entry. */
  flush(): void {
    this.lru.clear();
  }

  /** Entries held now. */
  get count(): number {
    return this.lru.size;
  }

  /** Bytes held now (what the bound applies to). */
  get size(): number {
    return this.lru.calculatedSize;
  }
}
