import fs from 'node:fs';
import fc from 'fast-check';
import pino from 'pino';
import { ConfigCache } from '../../packages/data-plane/src/cache/config-cache';
import { configHash } from '../../packages/protocol/src/node';
import { waitFor } from '../e2e/support';
import { freePort, startNode, tempDir } from '../support/processes';
import { Stack } from './stack';

const log = pino({ level: 'silent' });

/** Reads a DP dir's cache the way a starting DP does; fails unless it parses and its hash matches. */
function expectIntactCache(dir: string): { version: number; hash: string } {
  const loaded = new ConfigCache(dir, log).load();
  if (!loaded) throw new Error(`the cache in ${dir} is missing, torn or does not match its hash`);
  expect(configHash(loaded.config)).toBe(loaded.hash);
  return { version: loaded.version, hash: loaded.hash };
}

const seed = Number(process.env.GATEHOUSE_FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));

/**
 * kill -9 at random moments while snapshots are being written: the cache on
 * disk is always a whole snapshot whose hash matches (write-then-rename),
 * leftovers are cleaned at the next start, and a real DP killed while
 * applying comes back from its cache and converges with nothing lost.
 */
describe(`fault: the DP is killed while writing a snapshot (seed ${seed})`, () => {
  it('never leaves a torn cache: 25 or more kills at random moments of a writer saving 0.7–2.3 MB snapshots', async () => {
    const dir = tempDir('gatehouse-faults-cache-');
    // 25 kills, and more (up to 100) until one lands inside a write: which moments do depends on the machine's speed.
    const delays = fc.sample(fc.integer({ min: 0, max: 150 }), { seed, numRuns: 100 });
    // Kills that landed inside a write (a temporary file was left): the case write-then-rename exists for.
    let killedMidWrite = 0;
    for (const [i, delay] of delays.entries()) {
      if (i >= 25 && killedMidWrite > 0) break;
      const writer = startNode('test/faults/cache-writer.js', {}, [dir]);
      // Once a save has landed the writer is in its loop (and an empty dir has a cache to judge).
      await writer.waitForEvent('written', 30_000);
      await new Promise((r) => setTimeout(r, delay));
      await writer.kill();
      if (fs.readdirSync(dir).some((n) => n.endsWith('.tmp'))) killedMidWrite++;
      const { version } = expectIntactCache(dir);
      expect(version).toBeGreaterThanOrEqual(1);
      // Loading removed what the killed writer left half-written.
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
    expect(killedMidWrite).toBeGreaterThan(0);
  });

  it('a real DP killed while applying changes restarts from an intact cache, serves at once, and converges with every counted request delivered', async () => {
    const stack = await Stack.start();
    try {
      const service = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes/mockbin')).service.id as string;
      // A bigger config makes each write take longer, so kills land inside writes.
      for (let i = 0; i < 60; i++)
        await stack.api.ok('POST', '/v1/runtime-groups/default/routes', {
          name: `bulk-${i}`,
          paths: [`/bulk-${i}`],
          hosts: [`h${i}.example.com`],
          service: { id: service },
        });
      await stack.converged();
      const delays = fc.sample(fc.integer({ min: 0, max: 40 }), { seed, numRuns: 4 });
      const proxyPort = Number(new URL(stack.dp.proxyUrl).port);
      const statusPort = await freePort();
      for (const [i, delay] of delays.entries()) {
        expect(await stack.traffic(10)).toBe(10);
        // Counts reach the spool on disk every flush (500 ms); only what is on disk can survive a kill -9.
        await new Promise((r) => setTimeout(r, 1500));
        await stack.api.ok('PATCH', `/v1/runtime-groups/default/routes/bulk-${i}`, { tags: [`round-${i}`] });
        await new Promise((r) => setTimeout(r, delay));
        await stack.dp.kill();
        expectIntactCache(stack.dp.dpDir);

        const restarted = await Stack.launch(stack.api, {}, stack.dp.dpDir, { proxyPort, statusPort });
        stack.dp = restarted;
        // It serves from its cache before (and whether or not) the CP answers.
        await restarted.waitForEvent('config_cache_loaded', 10_000);
        expect((await stack.proxy('/mock')).status).toBe(200);
        await stack.converged();
        await waitFor('the patched route to carry its tag in the DP cache', () =>
          JSON.stringify(new ConfigCache(stack.dp.dpDir, log).load()?.config ?? {}).includes(`round-${i}`),
        );
      }
      await stack.statsComplete();
    } finally {
      await stack.stop();
    }
  });
});
