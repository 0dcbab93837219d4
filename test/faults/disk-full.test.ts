import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { ConfigCache } from '../../packages/data-plane/src/cache/config-cache';
import { nextEvent, waitFor } from '../e2e/support';
import { tempDir } from '../support/processes';
import { Stack } from './stack';

/** Fills a filesystem to the last byte; answers the filler file. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    for (const size of [65_536, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/**
 * The DP's disk fills up (a 1 MiB tmpfs as its DP dir, filled to the last
 * byte): it keeps serving, applies new config from memory and says it could
 * not cache it, keeps its traffic counts in memory; once there is room again
 * the cache is written and every count is delivered, the node Connected.
 */
describe('fault: the DP dir is on a full disk', () => {
  const dpDir = tempDir('gatehouse-faults-full-');
  let stack: Stack;
  let mounted = false;

  beforeAll(async () => {
    // Root can mount a small tmpfs; a chmod would not stop root from writing.
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', dpDir], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      throw new Error(`this test needs to mount a tmpfs (root with CAP_SYS_ADMIN): ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`, {
        cause: err,
      });
    }
    stack = await Stack.start({ dpDir });
  });
  afterAll(async () => {
    await stack?.stop();
    if (mounted) execFileSync('umount', [dpDir]);
  });

  it('keeps serving and applying config with no space left, logs it, loses no count, and recovers when space is freed', async () => {
    expect(await stack.traffic(10)).toBe(10);
    await stack.statsComplete();
    const filler = fill(dpDir);

    const cacheFailed = nextEvent(stack.dp, 'config_cache_write_failed');
    const service = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes/mockbin')).service.id as string;
    await stack.api.ok('POST', '/v1/runtime-groups/default/routes', { name: 'while-full', paths: ['/while-full'], service: { id: service } });
    const failure = await cacheFailed;
    expect(String(failure.err)).toMatch(/ENOSPC|no space/i);
    await waitFor('the route added while the disk is full to be served', async () => (await stack.proxy('/while-full')).status === 200);
    // It did apply the config, so it reports it: the node is on the expected hash.
    const hash = await stack.converged();

    const spoolFailed = nextEvent(stack.dp, 'stats_spool_write_failed');
    expect(await stack.traffic(30)).toBe(30);
    await spoolFailed;
    expect(stack.dp.child.exitCode).toBeNull();

    fs.rmSync(filler);
    await stack.statsComplete();
    // The next snapshot lands in the cache, whole, with its hash.
    await stack.api.ok('PATCH', '/v1/runtime-groups/default/routes/while-full', { tags: ['room-again'] });
    const current = await waitFor('the change to reach the DP', async () => {
      const h = await stack.converged();
      return h !== hash ? h : undefined;
    });
    await waitFor('the current config to be cached, whole and with its hash', () => new ConfigCache(dpDir, pino({ level: 'silent' })).load()?.hash === current);
    expect(fs.readdirSync(dpDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
