import cluster, { type Worker } from 'node:cluster';
import type { HealthOverride, StatsBucket, UpstreamHealthReport } from '@gatehouse/protocol';
import type { Logger } from '../logging';
import type { ServableSnapshot } from '../snapshot/prepared';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages';

/** How long start-up waits for every worker to listen, and an apply for every worker to serve. */
const START_TIMEOUT_MS = 60_000;
const SERVE_TIMEOUT_MS = 30_000;
const RESTART_DELAY_MS = 1000;

interface WorkerState {
  worker: Worker;
  ready: boolean;
  /** Hash of the config the worker serves. */
  hash: string | null;
  /** Hash of the last config the worker could not compile. */
  failed: string | null;
  /** Told to drain and exit (a reload replaced it): never restarted, no longer waited for by `serve`. */
  retiring: boolean;
  /** Replaced by another if it dies: false for a reload's new worker until the reload adopts it (a failed reload leaves none behind). */
  restartOnExit: boolean;
  /** Resolves once the worker has exited and its IPC channel is closed, so every message it sent has been handled. */
  gone: Promise<void>;
}

/** What `reload` did: the pids that drained and exited, and those now serving. */
export interface ReloadResult {
  retired: number[];
  started: number[];
}

/** The proxy workers of a DP, as the primary sees them. */
export interface WorkerPool {
  /** The proxy ports as bound by the workers. */
  readonly port: number;
  readonly tlsPort: number | null;
  /**
   * Rolls `snapshot` (which the primary has compiled and serves) out to the
   * workers and resolves once every running worker serves it (or a worker
   * failed it, which is logged; or after a timeout, also logged), so
   * `applied` is only sent to the CP for a config the whole DP serves
   * (snapshot/after-apply.ts). Workers started later get it before they listen.
   */
  serve(snapshot: ServableSnapshot): Promise<void>;
  /**
   * Where worker traffic counts go; buckets arriving earlier are kept until
   * it is set. `final`: the worker's last counts before it exits (drained).
   */
  onStats(sink: (buckets: StatsBucket[], final: boolean) => void): void;
  /** Where each worker's health report goes (`null`: the worker is gone); health/worker-health.ts merges them. */
  onHealth(sink: (workerId: number, upstreams: UpstreamHealthReport[] | null) => void): void;
  /** Hands the CP's manual health override to every running worker. */
  pushHealthOverride(override: HealthOverride): void;
  /** Hands the CP's proxy-cache purge to every running worker. */
  pushProxyCachePurge(cacheKey: string | null): void;
  /**
   * Zero-downtime restart (SIGHUP): forks as many new workers, which get the
   * current config before they listen on the shared port; once all of them
   * listen, the old ones drain (stop accepting — the primary hands new
   * connections only to listening workers — answer what is open with
   * `Connection: close`, close idle keep-alive connections after a grace)
   * and exit with their last counts handed over. If the new workers do not
   * all start, they are stopped, the old ones keep serving, and it rejects.
   * A reload asked for while one runs joins it.
   */
  reload(): Promise<ReloadResult>;
  /** Stops every worker (each drains its listeners and sends its last counts) and waits for them. */
  stop(): Promise<void>;
}

/**
 * Forks `count` proxy workers sharing the proxy port (node:cluster), serving
 * `initial` (the config the primary loaded from its cache, or null) before
 * they listen. Each snapshot given to `serve` is rolled out to the workers
 * one at a time, so at most one of them is compiling while the others serve
 * at full speed; a newer snapshot restarts the rollout with itself. A worker
 * that dies is replaced, and the new one gets the current config before it
 * listens. Resolves once every worker listens.
 */
export async function startWorkers(
  count: number,
  initial: ServableSnapshot | null,
  log: Logger,
  options: { drainTimeoutMs: number } = { drainTimeoutMs: 10_000 },
): Promise<WorkerPool> {
  // A worker still running this long after its drain deadline is killed (its last counts are then lost, and logged).
  const killAfterMs = options.drainTimeoutMs + 5000;
  const states = new Map<number, WorkerState>();
  let current: ServableSnapshot | null = initial;
  let ports: { port: number; tlsPort: number | null } | null = null;
  let stopping = false;
  let sink: ((b: StatsBucket[], final: boolean) => void) | null = null;
  let healthSink: ((workerId: number, upstreams: UpstreamHealthReport[] | null) => void) | null = null;
  /** Each worker's last health report, handed to a sink set later. */
  const lastHealth = new Map<number, UpstreamHealthReport[]>();
  const early: { buckets: StatsBucket[]; final: boolean }[] = [];
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const post = (s: WorkerState, m: PrimaryMessage): void => {
    if (s.worker.isConnected()) s.worker.send(m);
  };

  // One worker at a time: two workers compiling at once would take every core from the traffic
  // (and from each other) for the whole build. A newer config restarts the rollout with itself.
  let rollout = 0;
  const rollOut = async (): Promise<void> => {
    const seq = ++rollout;
    for (const s of [...states.values()]) {
      const target = current;
      if (seq !== rollout || target === null) return;
      if (!s.ready || s.retiring || s.hash === target.hash) continue;
      post(s, { type: 'config', snapshot: target });
      const settled = (): boolean => seq !== rollout || s.hash === target.hash || s.failed === target.hash || !states.has(s.worker.id);
      await until(`worker ${s.worker.id} to serve ${target.hash}`, settled, SERVE_TIMEOUT_MS);
    }
  };
  const fork = (): WorkerState => {
    const worker = cluster.fork();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const disconnected = new Promise<void>((resolve) => worker.once('disconnect', () => resolve()));
    const state: WorkerState = {
      worker,
      ready: false,
      hash: null,
      failed: null,
      retiring: false,
      restartOnExit: true,
      gone: Promise.all([exited, disconnected]).then(() => undefined),
    };
    states.set(worker.id, state);
    worker.on('message', (m: unknown) => {
      if (!isMessage<WorkerMessage>(m)) return;
      if (m.type === 'started') post(state, { type: 'start', snapshot: current });
      else if (m.type === 'ready') {
        state.ready = true;
        ports ??= { port: m.port, tlsPort: m.tlsPort };
        // A config applied while this worker was starting: it must not be left behind.
        if (current !== null && state.hash !== current.hash) post(state, { type: 'config', snapshot: current });
      } else if (m.type === 'applied') state.hash = m.hash;
      else if (m.type === 'apply_failed') {
        state.failed = m.hash;
        log.error({ event: 'worker_apply_failed', worker: worker.id, hash: m.hash, error: m.error });
      } else if (m.type === 'health') {
        lastHealth.set(worker.id, m.upstreams);
        healthSink?.(worker.id, m.upstreams);
      } else {
        if (sink) sink(m.buckets, m.final);
        else early.push({ buckets: m.buckets, final: m.final });
      }
      wake();
    });
    worker.on('exit', (code, signal) => {
      states.delete(worker.id);
      lastHealth.delete(worker.id);
      healthSink?.(worker.id, null);
      wake();
      if (stopping || state.retiring || !state.restartOnExit) return;
      log.error({ event: 'worker_exited', worker: worker.id, code, signal }, `proxy worker ${worker.id} exited; starting another`);
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS).unref();
    });
    return state;
  };

  /** Tells `retired` to drain and exit; resolves once each is gone (killed past the deadline). */
  const retire = async (retired: WorkerState[], reason: 'stop' | 'reload'): Promise<void> => {
    for (const s of retired) {
      s.retiring = true;
      post(s, { type: 'stop', reason });
    }
    const timer = setTimeout(() => {
      for (const s of retired) {
        if (s.worker.isDead()) continue;
        log.error({ event: 'worker_drain_timeout', worker: s.worker.id, pid: s.worker.process.pid, after_ms: killAfterMs });
        s.worker.kill('SIGKILL');
      }
    }, killAfterMs);
    await Promise.all(retired.map((s) => s.gone));
    clearTimeout(timer);
    wake();
  };

  let reloading: Promise<ReloadResult> | null = null;
  const reload = async (): Promise<ReloadResult> => {
    const started = performance.now();
    const fresh = Array.from({ length: count }, () => fork());
    for (const s of fresh) s.restartOnExit = false;
    const failedToStart = (): boolean => fresh.some((s) => !states.has(s.worker.id));
    const listening = await until('new workers to listen', () => failedToStart() || fresh.every((s) => s.ready), START_TIMEOUT_MS);
    if (!listening || failedToStart()) {
      // Keep serving with the old workers: a reload never leaves the DP with fewer than before.
      await retire(fresh, 'stop');
      throw new Error(listening ? 'a new proxy worker exited before it listened' : `new proxy workers did not start within ${START_TIMEOUT_MS} ms`);
    }
    for (const s of fresh) s.restartOnExit = true;
    // Every worker that is not new: a replacement forked during the reload is old too.
    const old = [...states.values()].filter((s) => !fresh.includes(s) && !s.retiring);
    await retire(old, 'reload');
    const result = { retired: old.map((s) => s.worker.process.pid ?? 0), started: fresh.map((s) => s.worker.process.pid ?? 0) };
    log.info({ event: 'reload_done', retired_pids: result.retired, worker_pids: result.started, duration_ms: Math.round(performance.now() - started) });
    return result;
  };

  const until = (what: string, done: () => boolean, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => {
        log.warn({ event: 'workers_timeout', waiting_for: what, timeout_ms: timeoutMs });
        finish(false);
      }, timeoutMs);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(ok);
      };
      waiters.add(check);
      check();
    });

  // Structured clone, not JSON: a config's text crosses as a raw string, with no escaping to undo in the worker.
  cluster.setupPrimary({ serialization: 'advanced' });
  for (let i = 0; i < count; i++) fork();
  const allReady = (): boolean => states.size === count && [...states.values()].every((s) => s.ready);
  // `ports` is set by the workers' ready messages while `until` waits.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- assigned in a message callback
  if (!(await until('workers to listen', allReady, START_TIMEOUT_MS)) || ports === null) {
    for (const s of states.values()) s.worker.kill();
    throw new Error(`proxy workers did not start within ${START_TIMEOUT_MS} ms`);
  }
  const bound = ports as { port: number; tlsPort: number | null };
  log.info({ event: 'workers_ready', workers: count, proxy_port: bound.port });

  return {
    port: bound.port,
    tlsPort: bound.tlsPort,
    async serve(snapshot) {
      const { version, hash, pieces } = snapshot;
      // Only what a worker needs crosses IPC (a PreparedSnapshot also carries the cache's copy of the config).
      current = { version, hash, pieces };
      void rollOut();
      // A worker that failed this hash will not serve it, and one already on a newer config skipped it: stop waiting for those.
      const moot = (s: WorkerState): boolean => s.retiring || s.failed === hash || (current !== null && current.hash !== hash && s.hash === current.hash);
      await until(`workers to serve ${hash}`, () => [...states.values()].every((s) => !s.ready || s.hash === hash || moot(s)), SERVE_TIMEOUT_MS);
    },
    onStats(fn) {
      sink = fn;
      for (const e of early.splice(0)) fn(e.buckets, e.final);
    },
    onHealth(fn) {
      healthSink = fn;
      for (const [id, upstreams] of lastHealth) fn(id, upstreams);
    },
    pushHealthOverride(override) {
      for (const s of states.values()) if (!s.retiring) post(s, { type: 'health_override', override });
    },
    pushProxyCachePurge(cacheKey) {
      for (const s of states.values()) if (!s.retiring) post(s, { type: 'proxy_cache_purge', cacheKey });
    },
    reload() {
      if (stopping) return Promise.reject(new Error('the data plane is stopping'));
      reloading ??= reload().finally(() => (reloading = null));
      return reloading;
    },
    async stop() {
      stopping = true;
      // A reload under way: its new workers are in `states` too, and stop with the rest.
      await retire([...states.values()], 'stop');
    },
  };
}
