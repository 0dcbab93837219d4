import { Pool } from 'undici';

/** What one connection pool is for: requests to one upstream with the same way of connecting. */
export interface PoolTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** connect_timeout of the service, in ms: undici applies it per connection, so it is part of the key. */
  connectTimeout: number;
  /** SNI for https (undefined for an IP literal or plain http). */
  servername: string | undefined;
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
 * Keep-alive connection pools (undici), one per upstream and way of
 * connecting, shared across config versions so a new snapshot does not drop
 * warm connections. undici's client is used instead of `http.request`
 * because it measured half as costly per request here (docs/PROXY.md);
 * per-request read timeouts are given at dispatch, so only connecting is part
 * of the key. Pools of services that left the config are not closed; their
 * idle connections close after the keep-alive timeout.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly clientSniPools = new Map<string, Pool>();

  /** The pool for a service as configured (its host as SNI). */
  get(target: PoolTarget): Pool {
    const key = poolKey(target);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = newPool(target);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The pool for a TLS name taken from a client's Host header (bounded; see MAX_CLIENT_SNI_POOLS). */
  forClientSni(target: PoolTarget): Pool {
    const key = poolKey(target);
    const known = this.pools.get(key) ?? this.clientSniPools.get(key);
    if (known) return known;
    const pool = newPool(target);
    this.clientSniPools.set(key, pool);
    if (this.clientSniPools.size > MAX_CLIENT_SNI_POOLS) {
      const [oldestKey, oldest] = this.clientSniPools.entries().next().value!;
      this.clientSniPools.delete(oldestKey);
      // Requests already running on it finish; it takes no new ones.
      oldest.close().catch(() => undefined);
    }
    return pool;
  }

  /** Closes every pooled connection at once (shutdown). */
  destroy(): void {
    for (const pool of [...this.pools.values(), ...this.clientSniPools.values()]) pool.destroy().catch(() => undefined);
    this.pools.clear();
    this.clientSniPools.clear();
  }
}

function poolKey(t: PoolTarget): string {
  return `${t.scheme}://${t.host}:${t.port}|${t.connectTimeout}|${t.servername ?? ''}`;
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
      // Kong does not verify upstream certificates unless told to (services have no tls_verify here).
      rejectUnauthorized: false,
    },
  });
}
