import nodeCluster from 'node:cluster';
import { SettingsError } from '@gatehouse/protocol/node';
import { attachAnalytics } from './analytics/attach';
import { startClusterClient } from './cluster';
import { linkHealthToCluster } from './health/cluster-link';
import { purgeProxyCache } from './plugins/proxy-cache/purge';
import { WorkerHealth } from './health/worker-health';
import { startDataPlane } from './data-plane';
import { createLogger } from './logging';
import { loadLua } from './lua/vm';
import { loadDpSettings, type DpSettings } from './settings';
import { savedToCache, servedByWorkers } from './snapshot/after-apply';
import { splitConfig } from './snapshot/pieces';
import { startWorkers } from './workers/primary';
import { runProxyWorker } from './workers/worker';

/**
 * `npm run dp`: the data plane. A bad setting stops it with one clear line and
 * exit code 2. With GATEHOUSE_WORKERS > 1 this process is the primary: it
 * holds the one cluster connection, the config cache, the status server and
 * the stats spool, and forks that many proxy workers sharing the proxy port.
 */
async function main(): Promise<void> {
  let settings: DpSettings;
  try {
    settings = loadDpSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`gatehouse data plane: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(settings.GATEHOUSE_LOG_LEVEL);
  if (nodeCluster.isWorker) {
    // Configs are compiled synchronously; the Lua VM (WebAssembly) must be loaded first.
    await loadLua().catch((err: unknown) => log.error({ event: 'lua_unavailable', error: err instanceof Error ? err.message : String(err) }));
    return runProxyWorker(settings, log);
  }

  const workers = settings.GATEHOUSE_WORKERS ?? 1;
  const fail = (err: Error): never => {
    log.fatal({ event: 'start_failed', error: err.message });
    process.exit(1);
  };
  const dp = await startDataPlane(settings, log, { proxy: workers === 1 }).catch(fail);
  // The config loaded from the cache, for the workers to serve before they listen (the primary serves no requests: splitting stalls nothing).
  const cached = dp.engine.compiled;
  const initial = cached ? { version: cached.version, hash: cached.hash, pieces: splitConfig(cached.config) } : null;
  const pool = workers > 1 ? await startWorkers(workers, initial, log, { drainTimeoutMs: settings.GATEHOUSE_DRAIN_TIMEOUT_MS }).catch(fail) : null;

  // `applied` means the whole DP serves the snapshot and a restart would too: workers first, then the cache.
  const afterApply = pool ? [servedByWorkers(pool), savedToCache(dp.cache)] : [savedToCache(dp.cache)];
  // Its send/on/onConnected seam is what analytics ships stats through (docs/DATA-PLANE.md).
  const clusterClient = startClusterClient(settings, dp, log, afterApply);
  // Target health to the CP, manual overrides from it (docs/CLUSTER.md).
  const health = pool ? new WorkerHealth(pool) : dp.health;
  if (health) linkHealthToCluster(clusterClient, health);
  // proxy-cache purges from the CP: this process's stores, or every worker's (docs/PLUGINS.md).
  clusterClient.on('proxy_cache_purge', (m) => (pool ? pool.pushProxyCachePurge(m.cache_key) : purgeProxyCache(dp.pluginRuntime, m.cache_key)));
  const analytics = attachAnalytics(
    dp,
    clusterClient,
    {
      enabled: settings.GATEHOUSE_ANALYTICS === 'on',
      flushIntervalMs: settings.GATEHOUSE_STATS_FLUSH_INTERVAL_MS,
      sendIntervalMs: settings.GATEHOUSE_STATS_SEND_INTERVAL_MS,
      maxSpoolBytes: settings.GATEHOUSE_STATS_MAX_SPOOL_BYTES,
      dpDir: settings.GATEHOUSE_DP_DIR,
    },
    log,
  );
  pool?.onStats((buckets, final) => {
    analytics.merge(buckets);
    // A worker's last counts (it drained for a stop, a reload or its own SIGTERM): on disk now, not at the next flush.
    if (!final) return;
    void analytics.persist().then(() => log.info({ event: 'worker_counts_saved', requests: buckets.reduce((n, b) => n + b.count, 0) }));
  });

  log.info({
    event: 'dp_ready',
    node_id: dp.nodeId,
    proxy_port: pool?.port ?? dp.proxyPort,
    proxy_tls_port: pool ? pool.tlsPort : dp.proxyTlsPort,
    status_port: dp.statusPort,
    config_hash: dp.engine.hash,
    workers,
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal });
    // Workers first, then the DP (its proxy drains in single-process mode), then the last counts to disk: every answered request is counted.
    (pool ? pool.stop() : Promise.resolve())
      .then(() => dp.stop())
      .then(() => analytics.stop())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ event: 'stop_failed', error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  // SIGHUP: zero-downtime restart of the proxy workers (docs/DATA-PLANE.md, Signals and reload).
  process.on('SIGHUP', () => {
    if (stopping) return;
    if (!pool) {
      // One process cannot hand its listening socket to a successor without a gap: reload needs GATEHOUSE_WORKERS >= 2.
      void analytics.persist();
      log.warn({
        event: 'reload_unsupported',
        reason: 'GATEHOUSE_WORKERS is 1: the proxy runs in this process; set GATEHOUSE_WORKERS to 2 or more to reload without downtime',
      });
      return;
    }
    log.info({ event: 'reload_started', signal: 'SIGHUP' });
    pool
      .reload()
      .then(() => analytics.persist())
      .catch((err: unknown) => log.error({ event: 'reload_failed', error: err instanceof Error ? err.message : String(err) }));
  });
}

void main();
