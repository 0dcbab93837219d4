import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { tlsListen, type DpSettings } from './settings';
import type { Logger } from './logging';
import { loadLua } from './lua/vm';
import { ConfigCache } from './cache/config-cache';
import { loadOrCreateNodeId } from './cache/node-id';
import { Engine } from './engine/engine';
import { HealthCheckers } from './health/checkers';
import { dnsTargets } from './balancer/dns-targets';
import { PluginRuntime } from './plugins/runtime';
import { prometheusMetrics } from './plugins/prometheus/handler';
import { logLossMetrics } from './plugins/log-serializer/loss-metrics';
import { headerProfile } from './proxy/header-profile';
import { defaultTlsPairs, openProxyListeners } from './proxy/listeners';
import type { RequestObserver } from './proxy/respond';
import { configMetrics, processMetrics } from './status/builtin-metrics';
import { MetricsRegistry } from './status/metrics';
import { NodeStatus } from './status/node-status';
import { startStatusServer } from './status/server';
import { UpstreamPools } from './upstream/pools';
import { DP_VERSION } from './version';
import { defaultStreamCertificates, openStreamListeners } from './stream/listeners';
import type { SessionObserver } from './stream/session';

/** A running data plane: what the cluster client, analytics and tests plug into. */
export interface DataPlane {
  readonly nodeId: string;
  readonly engine: Engine;
  readonly cache: ConfigCache;
  readonly status: NodeStatus;
  readonly metrics: MetricsRegistry;
  /** Plugin state kept across snapshots (rate-limit counters, Redis connections, prometheus series). */
  readonly pluginRuntime: PluginRuntime;
  /** Called for every finished request; analytics adds its counter here. */
  readonly observers: RequestObserver[];
  /** Called for every finished stream session (stream/); analytics adds its counter here. */
  readonly sessionObservers: SessionObserver[];
  /** The upstreams' health checks, in a process that proxies (null in the primary of a worker cluster: each worker runs its own). */
  readonly health: HealthCheckers | null;
  readonly proxyPort: number;
  readonly proxyTlsPort: number | null;
  readonly statusPort: number;
  /** The ports of the GATEHOUSE_STREAM_LISTEN listeners, in its order (none in the primary of a worker cluster). */
  readonly streamPorts: readonly number[];
  /** Registers work to do on shutdown (before the listeners close), e.g. closing the cluster connection. */
  onStop(fn: () => Promise<void> | void): void;
  stop(): Promise<void>;
}

/** How much of the data plane this process runs. */
export interface DataPlaneOptions {
  /**
   * False in the primary of a worker cluster (GATEHOUSE_WORKERS > 1): the
   * workers own the proxy listeners, and `proxyPort`/`proxyTlsPort` are the
   * configured ones.
   */
  proxy?: boolean;
}

/**
 * Starts everything but the cluster client: the DP dir and node id, the
 * cached config (served at once if valid), the proxy listeners and the
 * status server. Rejects (with the listeners it opened closed) if a port cannot be bound.
 */
export async function startDataPlane(settings: DpSettings, log: Logger, options: DataPlaneOptions = {}): Promise<DataPlane> {
  // Configs (the cached one below, then the CP's) are compiled synchronously: the Lua VM (WebAssembly) is loaded first.
  // Without it the DP still serves; a config with Lua is then rejected by name.
  await loadLua().catch((err: unknown) => log.error({ event: 'lua_unavailable', error: err instanceof Error ? err.message : String(err) }));
  const dir = path.resolve(settings.GATEHOUSE_DP_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const nodeId = loadOrCreateNodeId(dir);
  const status = new NodeStatus(nodeId, DP_VERSION, os.hostname());
  const pools = new UpstreamPools();
  const pluginRuntime = new PluginRuntime(log);
  const engine = new Engine({ pluginRuntime, pools, log });
  const cache = new ConfigCache(dir, log);
  const cached = cache.load();
  if (cached) {
    try {
      engine.apply(cached.config, { version: cached.version, hash: cached.hash });
      log.info({ event: 'config_cache_loaded', version: cached.version, hash: cached.hash });
    } catch (err) {
      log.warn({ event: 'config_cache_rejected', version: cached.version, hash: cached.hash, error: (err as Error).message });
    }
  }
  const metrics = new MetricsRegistry();
  metrics.register(processMetrics());
  metrics.register(configMetrics(engine, status));
  metrics.register(() => prometheusMetrics(pluginRuntime).collect());
  metrics.register(() => logLossMetrics(pluginRuntime));
  const observers: RequestObserver[] = [];
  const sessionObservers: SessionObserver[] = [];
  const deps = { engine, log, observers, headers: headerProfile(settings.GATEHOUSE_HEADERS, settings.GATEHOUSE_HEADERS_UPSTREAM) };

  const opened: { close(): Promise<void> }[] = [];
  try {
    let proxyPort = settings.GATEHOUSE_PROXY_LISTEN.port;
    let proxyTlsPort = tlsListen(settings)?.port ?? null;
    if (options.proxy !== false) {
      const { plain, tls } = await openProxyListeners(deps, settings);
      opened.push({ close: () => plain.close({ timeoutMs: settings.GATEHOUSE_DRAIN_TIMEOUT_MS }) });
      proxyPort = plain.port;
      if (tls !== null) {
        opened.push({ close: () => tls.close({ timeoutMs: settings.GATEHOUSE_DRAIN_TIMEOUT_MS }) });
        proxyTlsPort = tls.port;
      }
    } else if (proxyTlsPort !== null) {
      // The workers serve TLS: its default certificate is made once, here, for all of them to read.
      await defaultTlsPairs(settings);
    }
    const streams =
      options.proxy === false
        ? []
        : await openStreamListeners({
            addresses: settings.GATEHOUSE_STREAM_LISTEN,
            engine,
            log,
            observers: sessionObservers,
            certificates: () => defaultStreamCertificates(settings, engine),
          });
    for (const s of streams) opened.push({ close: () => s.close(settings.GATEHOUSE_DRAIN_TIMEOUT_MS) });
    // Workers' ssl stream listeners read the default certificate: made once, here, as for the TLS listener.
    if (options.proxy === false && settings.GATEHOUSE_STREAM_LISTEN.some((a) => a.ssl)) await defaultTlsPairs(settings);
    const statusServer = await startStatusServer(settings.GATEHOUSE_STATUS_LISTEN, engine, status, metrics);
    opened.push(statusServer);
    dnsTargets().useServers(settings.GATEHOUSE_DNS_RESOLVER ?? null);
    const health = options.proxy !== false ? new HealthCheckers(engine, log) : null;
    const stopHooks: (() => Promise<void> | void)[] = [];
    return {
      nodeId,
      engine,
      cache,
      status,
      metrics,
      pluginRuntime,
      observers,
      sessionObservers,
      health,
      proxyPort,
      proxyTlsPort,
      statusPort: statusServer.port,
      streamPorts: streams.map((s) => s.port),
      onStop: (fn) => stopHooks.push(fn),
      async stop() {
        for (const hook of stopHooks) await hook();
        health?.stop();
        await Promise.all(opened.map((o) => o.close()));
        pools.destroy();
        await pluginRuntime.close();
      },
    };
  } catch (err) {
    await Promise.all(opened.map((o) => o.close()));
    pools.destroy();
    await pluginRuntime.close();
    throw err;
  }
}
