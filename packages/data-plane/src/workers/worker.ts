import { TrafficRecorder } from '../analytics/recorder';
import { requestRecordOf } from '../analytics/from-context';
import { Engine } from '../engine/engine';
import { HealthCheckers } from '../health/checkers';
import { dnsTargets } from '../balancer/dns-targets';
import { reportHealthToPrimary } from '../health/worker-link';
import { watchLoopDelay } from '../engine/loop-delay';
import type { Logger } from '../logging';
import { PluginRuntime } from '../plugins/runtime';
import { purgeProxyCache } from '../plugins/proxy-cache/purge';
import type { RequestObserver } from '../proxy/respond';
import { headerProfile } from '../proxy/header-profile';
import { openProxyListeners } from '../proxy/listeners';
import type { ProxyListener } from '../proxy/server';
import type { DpSettings } from '../settings';
import { serveSnapshot } from '../snapshot/serve';
import type { ServableSnapshot } from '../snapshot/prepared';
import { UpstreamPools } from '../upstream/pools';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages';
import { defaultStreamCertificates, openStreamListeners } from '../stream/listeners';
import type { StreamListener } from '../stream/listener';
import type { SessionObserver } from '../stream/session';
import { thrownMessage } from '@gatehouse/protocol';

/**
 * How often a worker hands its traffic counts to the primary: well inside the
 * primary's spool flush (1 s by default), so a kill -9 of the DP loses at most
 * about a flush interval and a quarter second. One small IPC message each.
 */
const STATS_INTERVAL_MS = 250;

/** Sends to the primary; resolves once the message is handed to the channel (at once when there is none). */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || process.send === undefined) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * A proxy worker of a DP running GATEHOUSE_WORKERS > 1 processes: the proxy
 * listeners (the port is shared through node:cluster), its own engine,
 * keep-alive connection pools and plugin state, and a traffic recorder whose buckets go
 * to the primary every 250 ms and once more, marked final, after the drain, so each request is
 * counted exactly once by the DP as a whole. Configs come from the primary;
 * a worker never talks to the CP or writes the DP dir. It listens only once
 * it serves the primary's current config, so a restarted worker never answers
 * 404 for lack of a config. A config is parsed a piece per turn of the event
 * loop and compiled in slices, so requests in flight are served throughout.
 */
export function runProxyWorker(settings: DpSettings, log: Logger): void {
  const pools = new UpstreamPools();
  const pluginRuntime = new PluginRuntime(log);
  const engine = new Engine({ pluginRuntime, pools, log });
  const observers: RequestObserver[] = [];
  const recorder = settings.GATEHOUSE_ANALYTICS === 'on' ? new TrafficRecorder() : null;
  if (recorder !== null) {
    observers.push((ctx) => recorder.record(requestRecordOf(ctx)));
  }
  const sessionObservers: SessionObserver[] = recorder === null ? [] : [(r) => recorder.record(r)];
  const streamListeners: StreamListener[] = [];
  const flushStats = (final: boolean): Promise<void> => {
    const buckets = recorder?.drain() ?? [];
    return buckets.length > 0 || final ? send({ type: 'stats', buckets, final }) : Promise.resolve();
  };
  const statsTimer = setInterval(() => void flushStats(false), STATS_INTERVAL_MS);
  statsTimer.unref();
  // Each worker checks and counts its targets' health; the primary merges the reports (docs/PROXY.md).
  dnsTargets().useServers(settings.GATEHOUSE_DNS_RESOLVER ?? null);
  const health = new HealthCheckers(engine, log);
  reportHealthToPrimary(health, (upstreams) => void send({ type: 'health', upstreams }));

  // Newest wins: a config arriving while an older one is parsed or compiled supersedes it (the engine drops the older build).
  let latest = 0;
  let lastApply: Promise<void> = Promise.resolve();
  const apply = (c: ServableSnapshot): Promise<void> => (lastApply = build(c));
  /** Resolves once the newest config given has been applied (or failed), however many arrived meanwhile. */
  const settled = async (): Promise<void> => {
    let awaited: Promise<void>;
    do {
      awaited = lastApply;
      await awaited;
    } while (awaited !== lastApply);
  };
  const build = async (c: ServableSnapshot): Promise<void> => {
    const seq = ++latest;
    const isLatest = (): boolean => seq === latest;
    const started = performance.now();
    const loopDelay = watchLoopDelay();
    try {
      if ((await serveSnapshot(engine, c, isLatest)) !== 'applied') return;
      log.info({
        event: 'worker_config_served',
        version: c.version,
        hash: c.hash,
        duration_ms: Math.round(performance.now() - started),
        loop_delay_max_ms: loopDelay(),
      });
      void send({ type: 'applied', hash: c.hash });
    } catch (err) {
      void send({ type: 'apply_failed', hash: c.hash, error: (err as Error).message });
    } finally {
      loopDelay();
    }
  };

  const listeners: ProxyListener[] = [];
  const listen = async (): Promise<void> => {
    const deps = { engine, log, observers, headers: headerProfile(settings.GATEHOUSE_HEADERS, settings.GATEHOUSE_HEADERS_UPSTREAM) };
    const { plain: proxy, tls } = await openProxyListeners(deps, settings);
    listeners.push(proxy);
    if (tls !== null) listeners.push(tls);
    const tlsPort = tls?.port ?? null;
    const streams = await openStreamListeners({
      addresses: settings.GATEHOUSE_STREAM_LISTEN,
      engine,
      log,
      observers: sessionObservers,
      certificates: () => defaultStreamCertificates(settings, engine),
    });
    streamListeners.push(...streams);
    await send({ type: 'ready', port: proxy.port, tlsPort });
  };

  let stopping = false;
  const stop = async (reason: 'stop' | 'reload'): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    // The answers finishing during the drain are counted into `recorder`; the timer keeps handing them over meanwhile.
    const drain = { timeoutMs: settings.GATEHOUSE_DRAIN_TIMEOUT_MS, idleGraceMs: reason === 'reload' ? 1000 : 0 };
    await Promise.all([...listeners.map((l) => l.close(drain)), ...streamListeners.map((l) => l.close(drain.timeoutMs))]);
    clearInterval(statsTimer);
    health.stop();
    log.info({ event: 'worker_drained', reason, duration_ms: Math.round(performance.now() - started) });
    // Exit only once the last counts are in the channel.
    await flushStats(true);
    pools.destroy();
    await pluginRuntime.close();
    process.exit(0);
  };

  process.on('message', (m: unknown) => {
    if (!isMessage<PrimaryMessage>(m)) return;
    if (m.type === 'start') {
      if (m.snapshot) void apply(m.snapshot);
      void settled()
        .then(listen)
        .catch((err: unknown) => {
          log.fatal({ event: 'worker_start_failed', error: thrownMessage(err) });
          process.exit(1);
        });
    } else if (m.type === 'config') {
      void apply(m.snapshot);
    } else if (m.type === 'health_override') {
      health.override(m.override.upstream_id, m.override.target, m.override.healthy);
    } else if (m.type === 'proxy_cache_purge') {
      purgeProxyCache(pluginRuntime, m.cacheKey);
    } else {
      void stop(m.reason);
    }
  });
  // The primary is gone (killed): nothing would deliver counts or configs any more.
  process.on('disconnect', () => {
    if (!stopping) process.exit(0);
  });
  // Ctrl-C reaches every process of the group: stop cleanly, as on the primary's word.
  process.on('SIGINT', () => void stop('stop'));
  process.on('SIGTERM', () => void stop('stop'));
  // A reload is the primary's to run (a terminal hangup also reaches the whole group): a worker must not die of it.
  process.on('SIGHUP', () => undefined);
  void send({ type: 'started' });
}
