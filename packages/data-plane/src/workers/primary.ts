import cluster, { type Worker } from 'node:cluster';
import type { StatsBucket } from '@gatehouse/protocol';
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
  /** Where worker traffic counts go; buckets arriving earlier are kept until it is set. */
  onStats(sink: (buckets: StatsBucket[]) => void): void;
  /** Stops every worker (each closes its listeners and sends its last counts) and waits for them. */
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
export async function startWorkers(count: number, initial: ServableSnapshot | null, log: Logger): Promise<WorkerPool> {
  const states = new Map<number, WorkerState>();
  let current: ServableSnapshot | null = initial;
  let ports: { port: number; tlsPort: number | null } | null = null;
  let stopping = false;
  let sink: ((b: StatsBucket[]) => void) | null = null;
  const early: StatsBucket[][] = [];
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
      if (!s.ready || s.hash === target.hash) continue;
      post(s, { type: 'config', snapshot: target });
      const settled = (): boolean => seq !== rollout || s.hash === target.hash || s.failed === target.hash || !states.has(s.worker.id);
      await until(`worker ${s.worker.id} to serve ${target.hash}`, settled, SERVE_TIMEOUT_MS);
    }
  };
  const fork = (): void => {
    const worker = cluster.fork();
    const state: WorkerState = { worker, ready: false, hash: null, failed: null };
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
      } else if (m.type === 'stats') {
        if (sink) sink(m.buckets);
        else early.push(m.buckets);
      }
      wake();
    });
    worker.on('exit', (code, signal) => {
      states.delete(worker.id);
      wake();
      if (stopping) return;
      log.error({ event: 'worker_exited', worker: worker.id, code, signal }, `proxy worker ${worker.id} exited; starting another`);
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS).unref();
    });
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
      const moot = (s: WorkerState): boolean => s.failed === hash || (current !== null && current.hash !== hash && s.hash === current.hash);
      await until(`workers to serve ${hash}`, () => [...states.values()].every((s) => !s.ready || s.hash === hash || moot(s)), SERVE_TIMEOUT_MS);
    },
    onStats(fn) {
      sink = fn;
      for (const b of early.splice(0)) fn(b);
    },
    async stop() {
      stopping = true;
      const exits = [...states.values()].map((s) => new Promise<void>((resolve) => (s.worker.isDead() ? resolve() : s.worker.once('exit', () => resolve()))));
      for (const s of states.values()) post(s, { type: 'stop' });
      const timer = setTimeout(() => {
        for (const s of states.values()) s.worker.kill('SIGKILL');
      }, 10_000);
      await Promise.all(exits);
      clearTimeout(timer);
    },
  };
}
