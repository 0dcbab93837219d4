import { Pool } from 'undici';
import { H2Sessions } from './h2-sessions';
import { PLAIN_TLS, type UpstreamTls } from './tls-options';

/** What one connection pool is for: requests to one upstream with the same way of connecting. */
export interface PoolTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** connect_timeout of the service, in ms: undici applies it per connection, so it is part of the key. */
  connectTimeout: number;
  /** SNI for https (undefined for an IP literal or plain http). */
  servername: string | undefined;
  /**
   * The service's upstream TLS settings (verification, CA store, client
   * certificate) for https; null: Kong's defaults (no verification). Its
   * key is part of the pool key, so services with different settings never
   * share a connection.
   */
  tls: UpstreamTls | null;
}

const IP_LITERAL = /^(\d+\.\d+\.\d+\.\d+|\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\]?)$/;

/**
 * The TLS server name (SNI) for a Host header value or a service host: the
 * name without its port; undefined for an IP literal, which SNI cannot carry.
 */
export function serverName(host: string): string | undefined {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === '' || IP_LITERAL.test(name) ? undefined : name;
}

/**
 * Idle keep-alive connections are closed after this (Kong's
 * upstream_keepalive_idle_timeout, 60 s), or sooner when the upstream's
 * `Keep-Alive: timeout=N` hint says so (undici honours it, less a second of
 * margin, so a connection is not reused just as the upstream closes it).
 */
const KEEPALIVE_IDLE_MS = 60_000;

/**
 * At most this many pools made for a client's host as SNI (preserve_host
 * routes to https services take the client's Host as TLS name, and a route
 * without `hosts` accepts any): past it the oldest is closed, so random Host
 * headers cannot grow the DP without bound.
 */
const MAX_CLIENT_SNI_POOLS = 256;

/**
 * How long a pool of an upstream that left the config stays open after the
 * swap, for requests that read the previous config and dispatch just after
 * it; `close` then lets any still running finish. A request dispatching
 * later still (a slow body, a retry) asks its service for a live pool again
 * (`CompiledService.reopenPool`). Short, so that under config churn few
 * retired pools keep idle connections open.
 */
const RETIRE_GRACE_MS = 10_000;

/**
 * Keep-alive connection pools (undici), one per upstream and way of
 * connecting, shared across config versions so a new snapshot does not drop
 * warm connections. undici's client is used instead of `http.request`
 * because it measured half as costly per request here (docs/PROXY.md);
 * per-request read timeouts are given at dispatch, so only connecting is part
 * of the key. After each config swap `retainOnly` retires the pools no
 * service of the new config uses (and the client-SNI pools of those
 * upstreams): they leave the maps at once and are closed `retireGraceMs`
 * later (requests that read the previous config just before the swap still
 * dispatch on them; `close` lets running requests finish), unless a newer
 * config uses them again first; `get` after that makes a fresh pool. So the pools held are those of the config
 * being served, however many services came and went.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly clientSniPools = new Map<string, Pool>();
  /** Pools no longer in the served config, by key, with when they were retired (ms). */
  private readonly retiring = new Map<string, { pool: Pool; clientSni: boolean; at: number }>();
  private retireTimer: NodeJS.Timeout | null = null;
  private readonly retireGraceMs: number;
  /** HTTP/2 sessions to gRPC upstreams (they close themselves when idle, so they need no retiring). */
  readonly h2 = new H2Sessions();

  constructor(options: { retireGraceMs?: number } = {}) {
    this.retireGraceMs = options.retireGraceMs ?? RETIRE_GRACE_MS;
  }

  /** The pool for a service as configured (its host as SNI). */
  get(target: PoolTarget): Pool {
    const key = poolKey(target);
    let pool = this.pools.get(key) ?? this.revive(key, false);
    if (!pool) {
      pool = newPool(target);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Called with every service target of the config just swapped in: every
   * other pool (and each client-SNI pool of an upstream no longer
   * configured) is retired, to be closed after the grace period.
   */
  retainOnly(targets: Iterable<PoolTarget>): void {
    const keys = new Set<string>();
    const upstreams = new Set<string>();
    for (const t of targets) {
      keys.add(poolKey(t));
      upstreams.add(upstreamKey(t));
    }
    const now = Date.now();
    for (const [key, pool] of this.pools) {
      if (keys.has(key)) continue;
      this.pools.delete(key);
      this.retiring.set(key, { pool, clientSni: false, at: now });
    }
    for (const [key, pool] of this.clientSniPools) {
      if (upstreams.has(upstreamOfKey(key))) continue;
      this.clientSniPools.delete(key);
      this.retiring.set(key, { pool, clientSni: true, at: now });
    }
    if (this.retiring.size > 0 && this.retireTimer === null) this.scheduleClose();
  }

  /** How many pools are held: serving (service and client-SNI) and retiring (not yet closed). */
  get counts(): { pools: number; clientSniPools: number; retiring: number } {
    return { pools: this.pools.size, clientSniPools: this.clientSniPools.size, retiring: this.retiring.size };
  }

  /** A retiring pool asked for again (a newer config uses its upstream again) goes back into service. */
  private revive(key: string, clientSni: boolean): Pool | undefined {
    const r = this.retiring.get(key);
    if (r === undefined) return undefined;
    this.retiring.delete(key);
    (clientSni ? this.clientSniPools : this.pools).set(key, r.pool);
    return r.pool;
  }

  private scheduleClose(): void {
    this.retireTimer = setTimeout(() => {
      this.retireTimer = null;
      const cutoff = Date.now() - this.retireGraceMs;
      for (const [key, r] of this.retiring) {
        if (r.at > cutoff) continue;
        this.retiring.delete(key);
        // Requests still running on it finish; it takes no new ones and its idle connections close now.
        r.pool.close().catch(() => undefined);
      }
      if (this.retiring.size > 0) this.scheduleClose();
    }, this.retireGraceMs);
    // Retiring pools must not keep a stopping DP alive.
    this.retireTimer.unref();
  }

  /** The pool for a TLS name taken from a client's Host header (bounded; see MAX_CLIENT_SNI_POOLS). */
  forClientSni(target: PoolTarget): Pool {
    const key = poolKey(target);
    const known = this.pools.get(key) ?? this.clientSniPools.get(key) ?? this.revive(key, true);
    if (known) return known;
    const pool = newPool(target);
    this.clientSniPools.set(key, pool);
    if (this.clientSniPools.size > MAX_CLIENT_SNI_POOLS) {
      const oldestEntry = this.clientSniPools.entries().next();
      if (oldestEntry.done !== true) {
        const [oldestKey, oldest] = oldestEntry.value;
        this.clientSniPools.delete(oldestKey);
        // Requests already running on it finish; it takes no new ones.
        oldest.close().catch(() => undefined);
      }
    }
    return pool;
  }

  /** Closes every pooled connection at once (shutdown). */
  destroy(): void {
    if (this.retireTimer !== null) clearTimeout(this.retireTimer);
    this.retireTimer = null;
    const all = [...this.pools.values(), ...this.clientSniPools.values(), ...[...this.retiring.values()].map((r) => r.pool)];
    for (const pool of all) pool.destroy().catch(() => undefined);
    this.pools.clear();
    this.clientSniPools.clear();
    this.retiring.clear();
    this.h2.destroy();
  }
}

/** The upstream, connect timeout and TLS settings: a pool key without its SNI. */
function upstreamKey(t: PoolTarget): string {
  return `${t.scheme}://${t.host}:${t.port}|${t.connectTimeout}|${t.tls?.key ?? ''}`;
}

/** The upstream part of a pool key: up to its third `|` (neither a service host nor a TLS key has one; a client's SNI might). */
function upstreamOfKey(key: string): string {
  return key.slice(0, key.indexOf('|', key.indexOf('|', key.indexOf('|') + 1) + 1));
}

function poolKey(t: PoolTarget): string {
  return `${upstreamKey(t)}|${t.servername ?? ''}`;
}

function newPool(target: PoolTarget): Pool {
  const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
  return new Pool(`${target.scheme}://${host}:${target.port}`, {
    connections: null,
    pipelining: 1,
    keepAliveTimeout: KEEPALIVE_IDLE_MS,
    keepAliveMaxTimeout: KEEPALIVE_IDLE_MS,
    keepAliveTimeoutThreshold: 1000,
    connect: {
      timeout: target.connectTimeout,
      servername: target.servername,
      // Kong does not verify upstream certificates unless the service's tls_verify says so (upstream/tls-options.ts).
      ...(target.tls?.connect ?? PLAIN_TLS),
    },
  });
}
