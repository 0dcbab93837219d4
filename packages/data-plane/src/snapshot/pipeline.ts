import type { Logger } from 'pino';
import type { SlicedApplyOutcome } from '../engine/engine';
import { watchLoopDelay } from '../engine/loop-delay';
import type { AfterApplyStep } from './after-apply';
import type { IncomingSnapshot } from './prepared';
import { serveSnapshot, type SnapshotEngine } from './serve';
import { thrownMessage } from '@gatehouse/protocol';

/**
 * How the pipeline ended a snapshot: `applied` and `rejected` are sent back
 * to the CP; `superseded` (a newer snapshot arrived before this one was
 * serving) and `withheld` (an after-apply step failed) are not — the newer
 * snapshot's answer, or the DP's pings, speak for them.
 */
export type SnapshotOutcome =
  | { type: 'applied'; version: number; hash: string }
  | { type: 'rejected'; version: number; hash: string; error: string }
  | { type: 'superseded'; version: number; hash: string }
  | { type: 'withheld'; version: number; hash: string; step: string; error: string };

/** The outcomes answered to the CP. */
export type SnapshotAnswer = Extract<SnapshotOutcome, { type: 'applied' | 'rejected' }>;

/** What a pipeline is built from. */
export interface SnapshotPipelineOptions {
  engine: SnapshotEngine;
  /** Run in this order after the snapshot serves in this process; all must finish before `applied`. */
  afterApply: readonly AfterApplyStep[];
  log: Logger;
  /** Gets every `applied` and `rejected`, in the order snapshots arrived. */
  answer: (outcome: SnapshotAnswer) => void;
}

const MAX_ERROR_LENGTH = 10_000;

/**
 * The DP's one path from a decoded snapshot to its answer:
 *
 * 1. a snapshot whose hash is already serving is answered `applied` at once;
 * 2. a refused one (schema, hash: snapshot/prepare.ts) is answered `rejected`;
 * 3. its pieces are joined and compiled in slices and swapped in whole
 *    (snapshot/serve.ts) — a config that cannot be compiled is `rejected`;
 * 4. the after-apply steps run in order (with workers: every worker serves
 *    it; then the config cache is written);
 * 5. only then is `applied` answered.
 *
 * Until step 3 swaps, the previous config serves every request; a rejected
 * snapshot never reaches the after-apply steps, so the workers and the cache
 * keep the previous config too.
 *
 * Snapshots are handled one at a time in arrival order, newest wins: one that
 * arrives while another is joined or compiled supersedes it (the build is
 * dropped unswapped, one still waiting is skipped), so a burst of changes
 * costs one build and the last snapshot sent is the one left serving.
 */
export class SnapshotPipeline {
  private latest = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: SnapshotPipelineOptions) {}

  /** Queues a snapshot; resolves once it was answered, skipped, superseded or withheld. */
  push(snapshot: IncomingSnapshot): Promise<void> {
    const seq = ++this.latest;
    const isLatest = (): boolean => seq === this.latest;
    const { log, answer } = this.options;
    this.chain = this.chain
      .then(async () => {
        if (!isLatest()) {
          log.info(
            { event: 'snapshot_superseded', version: snapshot.version, hash: snapshot.hash },
            `snapshot ${snapshot.version} skipped: a newer one arrived`,
          );
          return;
        }
        const outcome = await this.run(snapshot, isLatest);
        if (outcome.type === 'applied' || outcome.type === 'rejected') answer(outcome);
      })
      .catch((err: unknown) => log.error({ event: 'snapshot_failed', err }, thrownMessage(err)));
    return this.chain;
  }

  /**
   * Takes one snapshot through steps 1–4 and answers its outcome (without
   * sending it; `push` does). `keepGoing` is asked between turns of the
   * build: once it answers false the build is dropped and the outcome is
   * `superseded`. Never rejects.
   */
  async run(snapshot: IncomingSnapshot, keepGoing: () => boolean = () => true): Promise<SnapshotOutcome> {
    const { engine, afterApply, log } = this.options;
    const { version, hash } = snapshot;
    if (engine.current()?.hash === hash) return { type: 'applied', version, hash };
    const started = performance.now();
    const loopDelay = watchLoopDelay();
    const reject = (error: string): SnapshotOutcome => {
      loopDelay();
      const trimmed = error.slice(0, MAX_ERROR_LENGTH);
      log.warn({ event: 'snapshot_rejected', version, hash, error: trimmed }, `snapshot ${version} rejected: ${trimmed}`);
      return { type: 'rejected', version, hash, error: trimmed };
    };
    if (snapshot.kind === 'refused') return reject(snapshot.error);

    let served: SlicedApplyOutcome;
    try {
      served = await serveSnapshot(engine, snapshot, keepGoing);
    } catch (err) {
      return reject(`config cannot be applied: ${(err as Error).message}`);
    }
    if (served === 'superseded') {
      loopDelay();
      log.info({ event: 'snapshot_superseded', version, hash }, `snapshot ${version} superseded by a newer one before it served`);
      return { type: 'superseded', version, hash };
    }
    for (const step of afterApply) {
      try {
        await step.run(snapshot);
      } catch (err) {
        loopDelay();
        const error = (err as Error).message;
        log.error(
          { event: 'snapshot_step_failed', version, hash, step: step.name, error },
          `snapshot ${version} serves, but ${step.name} failed: ${error}; not answering applied`,
        );
        return { type: 'withheld', version, hash, step: step.name, error };
      }
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    log.info({ event: 'snapshot_applied', version, hash, duration_ms: durationMs, loop_delay_max_ms: loopDelay() }, `applied config version ${version}`);
    return { type: 'applied', version, hash };
  }
}
