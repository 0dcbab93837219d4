import Redis from 'ioredis';
import type { Logger } from '../logging';

/** How a plugin reaches a Redis server (Kong's `redis_*` fields). */
export interface RedisTarget {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  database: number;
  timeoutMs: number;
  ssl: boolean;
  sslVerify: boolean;
  serverName: string | null;
}

function targetKey(t: RedisTarget): string {
  return JSON.stringify([t.host, t.port, t.username, t.password, t.database, t.timeoutMs, t.ssl, t.sslVerify, t.serverName]);
}

/**
 * What the config just swapped in still has (engine/live-entities.ts builds
 * it). Series sets hold `service + NUL + route` keys, `''` for none.
 */
export interface LiveEntities {
  routeIds: ReadonlySet<string>;
  serviceIds: ReadonlySet<string>;
  pluginIds: ReadonlySet<string>;
  /** (service id, route id) pairs a request can still be counted under. */
  seriesById: ReadonlySet<string>;
  /** The same pairs by label: name, else id. */
  seriesByLabel: ReadonlySet<string>;
  /** Consumers by label: username, else id. */
  consumerLabels: ReadonlySet<string>;
}

/**
 * What plugins keep across config applies (Kong keeps these in shared
 * memory): local rate-limit counters, Redis connections (one per distinct
 * target, shared by every plugin instance using it), verified basic-auth
 * secrets and the prometheus plugin's series. A new snapshot reuses them, so a
 * config change resets no limit. A singleton keyed by entity ids registers
 * `onSwap` when made, and drops what removed entities owned at each swap, so
 * config churn does not grow it. `close` ends every connection.
 */
export class PluginRuntime {
  private readonly redisClients = new Map<string, Redis>();
  private readonly shared = new Map<string, unknown>();
  private readonly swapListeners: ((live: LiveEntities) => void)[] = [];

  constructor(readonly log: Logger) {}

  /** Calls `listener` after every config swap with what that config still has. */
  onSwap(listener: (live: LiveEntities) => void): void {
    this.swapListeners.push(listener);
  }

  /** The engine's call at each swap: every listener trims its state to `live`. */
  swapped(live: LiveEntities): void {
    for (const listener of this.swapListeners) listener(live);
  }

  /**
   * A value kept for the life of the DP under `key` (a plugin's counters,
   * caches or metrics), made by `create` on first use.
   */
  singleton<T>(key: string, create: () => T): T {
    if (this.shared.has(key)) return this.shared.get(key) as T;
    const value = create();
    this.shared.set(key, value);
    return value;
  }

  /** The shared client for a Redis target, connecting lazily on first use. */
  redis(target: RedisTarget): Redis {
    const key = targetKey(target);
    let client = this.redisClients.get(key);
    if (client === undefined) {
      client = new Redis({
        host: target.host,
        port: target.port,
        username: target.username ?? undefined,
        password: target.password ?? undefined,
        db: target.database,
        connectTimeout: target.timeoutMs,
        commandTimeout: target.timeoutMs,
        // A request must not wait on a Redis that is down: fail it, and let
        // fault_tolerant decide whether the request goes through.
        maxRetriesPerRequest: 0,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        tls: target.ssl ? { rejectUnauthorized: target.sslVerify, servername: target.serverName ?? undefined } : undefined,
        lazyConnect: false,
      });
      const where = `${target.host}:${target.port}`;
      let reported = false;
      client.on('error', (err: Error) => {
        if (reported) return;
        reported = true;
        this.log.warn({ event: 'plugin_redis_error', redis: where, err: err.message }, `redis ${where}: ${err.message}`);
      });
      client.on('ready', () => {
        reported = false;
      });
      this.redisClients.set(key, client);
    }
    return client;
  }

  /** Closes every Redis connection (on DP shutdown). */
  async close(): Promise<void> {
    const clients = [...this.redisClients.values()];
    this.redisClients.clear();
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
