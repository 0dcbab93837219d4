import type { CpMessage, GatewayConfig } from '@gatehouse/protocol';
import type { Logger } from 'pino';
import { watchLoopDelay } from '../engine/loop-delay';
import { joinConfig } from './config-pieces';
import type { ClusterConfigCache, ClusterEngine } from './ports';
import { checkSnapshotConfig, CheckedConfig } from './snapshot-check';

type SnapshotMessage = Extract<CpMessage, { type: 'snapshot' }>;

/**
 * The answer to a snapshot: `applied` and `rejected` are sent back to the
 * CP; `superseded` (a newer snapshot arrived before this one was serving)
 * is not — the newer one's answer speaks for both.
 */
export type SnapshotOutcome =
  | { type: 'applied'; version: number; hash: string }
  | { type: 'rejected'; version: number; hash: string; error: string }
  | { type: 'superseded'; version: number; hash: string };

const MAX_ERROR_LENGTH = 10_000;

/**
 * Applies one snapshot: validates the config with the protocol schema, checks
 * that it hashes to `hash`, compiles and swaps it in through the engine, and
 * writes it to the cache — all before the answer is returned, so `applied`
 * always means "serving, and (disk permitting) will serve again after a
 * restart". Any failure answers `rejected` and leaves the previous config
 * serving. A snapshot whose hash is already serving is acknowledged without
 * being applied again.
 *
 * A config decoded on the snapshot thread (a `CheckedConfig`) was validated
 * and hashed there; it is parsed back and compiled in slices
 * (`engine.applyInSlices`), so no turn of the event loop holds requests for
 * long. `keepGoing` is asked between slices: once it answers false the
 * build is dropped and the answer is `superseded`.
 */
export async function applySnapshot(message: SnapshotMessage, engine: ClusterEngine, cache: ClusterConfigCache, log: Logger, keepGoing: () => boolean = () => true): Promise<SnapshotOutcome> {
  const { version, hash } = message;
  const started = performance.now();
  if (engine.current()?.hash === hash) return { type: 'applied', version, hash };
  const loopDelay = watchLoopDelay();
  const reject = (error: string): SnapshotOutcome => {
    loopDelay();
    const trimmed = error.slice(0, MAX_ERROR_LENGTH);
    log.warn({ event: 'snapshot_rejected', version, hash, error: trimmed }, `snapshot ${version} rejected: ${trimmed}`);
    return { type: 'rejected', version, hash, error: trimmed };
  };
  const superseded = (): SnapshotOutcome => {
    loopDelay();
    log.info({ event: 'snapshot_superseded', version, hash }, `snapshot ${version} superseded by a newer one before it served`);
    return { type: 'superseded', version, hash };
  };

  let config: GatewayConfig;
  let cacheEntry: Parameters<ClusterConfigCache['save']>[0];
  if (message.config instanceof CheckedConfig) {
    const check = message.config.check;
    if (!check.ok) return reject(check.error);
    const joined = await joinConfig(check.pieces, keepGoing);
    if (joined === null) return superseded();
    config = joined;
    cacheEntry = { version, hash, json: check.cacheJson };
  } else {
    const check = checkSnapshotConfig(message.config, hash);
    if (!check.ok) return reject(check.error);
    config = check.config;
    // Cached as received (it passed the schema above), so the cache's own hash check holds at the next start.
    cacheEntry = { version, hash, config: message.config as GatewayConfig };
  }
  try {
    if (engine.applyInSlices) {
      if ((await engine.applyInSlices(config, { version, hash }, { keepGoing })) === 'superseded') return superseded();
    } else {
      engine.apply(config, { version, hash });
    }
  } catch (err) {
    return reject(`config cannot be applied: ${(err as Error).message}`);
  }
  // A failed write is logged by the cache; the config is serving, so `applied` is still the truth.
  await cache.save(cacheEntry);
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  log.info({ event: 'snapshot_applied', version, hash, duration_ms: durationMs, loop_delay_max_ms: loopDelay() }, `applied config version ${version}`);
  return { type: 'applied', version, hash };
}

/**
 * Applies snapshots in arrival order, newest wins: a snapshot that arrives
 * while another is being applied supersedes it (the build in progress is
 * dropped unswapped, one still waiting is skipped), so a burst of changes
 * costs one build, not one per change, and the last snapshot sent is the
 * one left serving. `answer` gets every applied or rejected outcome.
 */
export class SnapshotQueue {
  private latest = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: ClusterEngine,
    private readonly cache: ClusterConfigCache,
    private readonly log: Logger,
    private readonly answer: (outcome: Exclude<SnapshotOutcome, { type: 'superseded' }>) => void,
  ) {}

  /** Queues a snapshot; resolves once it was answered, skipped or superseded. */
  push(message: SnapshotMessage): Promise<void> {
    const seq = ++this.latest;
    const isLatest = (): boolean => seq === this.latest;
    this.chain = this.chain
      .then(async () => {
        if (!isLatest()) {
          this.log.info({ event: 'snapshot_superseded', version: message.version, hash: message.hash }, `snapshot ${message.version} skipped: a newer one arrived`);
          return;
        }
        const outcome = await applySnapshot(message, this.engine, this.cache, this.log, isLatest);
        if (outcome.type !== 'superseded') this.answer(outcome);
      })
      .catch((err: Error) => this.log.error({ event: 'snapshot_failed', err }, err.message));
    return this.chain;
  }
}
