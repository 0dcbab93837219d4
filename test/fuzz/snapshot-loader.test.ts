import fc from 'fast-check';
import pino from 'pino';
import { configHash } from '../../packages/protocol/src/node';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { savedToCache } from '../../packages/data-plane/src/snapshot/after-apply';
import { SnapshotPipeline } from '../../packages/data-plane/src/snapshot/pipeline';
import { prepareSnapshot } from '../../packages/data-plane/src/snapshot/prepare';
import { request, startEcho, startTestDataPlane } from '../data-plane/support';
import { baseConfig, mutatedConfig } from './config-mutations';
import { assertWithSeeds } from './seeds';

// Messages of JavaScript's own failures: a rejection carrying one means a bug slipped past a check.
const CRASH = /Cannot read propert|Cannot set propert|is not a function|is not iterable|undefined is not|Maximum call stack|Invalid array length/;

/**
 * The DP's snapshot pipeline (validation, hash check, engine compile and
 * swap, cache write) fed random and mutated configs: it must answer `applied` or a
 * clean `rejected` every time, never throw, never leave a half-applied
 * config, and the proxy must keep serving throughout.
 */
describe('snapshot loader fuzzing', () => {
  let dp: DataPlane & { dir: string };
  let pipeline: SnapshotPipeline;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  const log = pino({ level: 'silent' });
  let version = 1;
  // How the cases ended, to prove the mutations reach each stage rather than all bouncing off the schema.
  const outcomes = { applied: 0, schema: 0, compile: 0, other: 0 };

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane();
    pipeline = new SnapshotPipeline({
      engine: dp.engine,
      afterApply: [savedToCache(dp.cache)],
      log,
      answer: () => {
        // the answer goes to a CP, and there is none here: the outcome is what `run` resolves with
      },
    });
  });
  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  /** Applies a known-good config, so each case starts from a serving state. */
  async function applyBase(): Promise<string> {
    const config = baseConfig(echo.port);
    const hash = configHash(config);
    const outcome = await pipeline.run(prepareSnapshot(version++, hash, config));
    expect(outcome.type).toBe('applied');
    return hash;
  }

  async function check(config: unknown, announcedHash: string): Promise<void> {
    const before = dp.engine.current();
    let outcome;
    try {
      outcome = await pipeline.run(prepareSnapshot(version++, announcedHash, config));
    } catch (err) {
      throw new Error(`the pipeline threw: ${(err as Error).stack}`, { cause: err });
    }
    // Nothing newer is ever waiting here, so a build may not be dropped as superseded; the cache step never fails.
    if (outcome.type === 'superseded' || outcome.type === 'withheld') throw new Error(`snapshot ${outcome.version} answered ${outcome.type}`);
    if (outcome.type === 'applied') outcomes.applied++;
    else if (outcome.error.startsWith('config does not match the schema')) outcomes.schema++;
    else if (outcome.error.startsWith('config cannot be applied')) outcomes.compile++;
    else outcomes.other++;
    if (outcome.type === 'applied') {
      expect(dp.engine.current()?.hash).toBe(announcedHash);
      expect(dp.cache.load()?.hash).toBe(announcedHash);
    } else {
      if (CRASH.test(outcome.error)) throw new Error(`rejected with a crash inside: ${outcome.error}`);
      expect(outcome.error.length).toBeGreaterThan(0);
      expect(dp.engine.current()).toEqual(before);
    }
  }

  it('answers applied or a clean rejection for mutated configs, and a rejection leaves the previous config serving', async () => {
    const base = baseConfig(0);
    await assertWithSeeds(
      () =>
        fc.asyncProperty(mutatedConfig({ ...base, services: base.services.map((s) => ({ ...s, port: echo.port })) }), async (config) => {
          await applyBase();
          // The announced hash is the config's own, so every case gets past the hash check into validation and compilation.
          await check(config, configHash(config));
        }),
      250,
    );
    expect(outcomes.applied).toBeGreaterThan(0);
    expect(outcomes.schema).toBeGreaterThan(0);
    expect(outcomes.compile).toBeGreaterThan(0);
  });

  it('rejects random JSON, wrong hashes and non-object configs without throwing', async () => {
    const hash = await applyBase();
    await assertWithSeeds(
      () =>
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (config, ownHash) => {
          await check(config, ownHash ? configHash(config) : hash.replace(/^./, (c) => (c === '0' ? '1' : '0')));
        }),
      200,
    );
    for (const config of [undefined, null, 'config', 42, [], { _format_version: '3.0' }]) await check(config, configHash(config ?? null));
  });

  it('keeps proxying through it all', async () => {
    await applyBase();
    const res = await request(`http://127.0.0.1:${dp.proxyPort}/open/after-fuzz`);
    expect(res.status).toBe(200);
    expect(res.json.path).toBe('/after-fuzz');
  });
});
