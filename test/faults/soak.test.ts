import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase } from '../support/database';
import { REPO_ROOT } from '../support/processes';

interface SoakResult {
  ok: boolean;
  traffic: { total: number; unexpected: number; unexpectedSamples: unknown[] };
  changes: number;
  change_errors: number;
  processes: { name: string; ok: boolean; rss_floor_growth_pct: number; heap_floor_growth_pct: number | null; fds_after_warmup: number; fds_end: number }[];
}

// Thirty seconds is mostly warm-up (JIT, caches) and a few collections: memory here is a tripwire
// for gross leaks — live data (the DP's heap floor) within 25%, RSS within 100% (the DP's RSS still
// grows while V8 first touches its pinned young generation); flatness within 10% is judged by the
// 10-minute run (docs/benchmarks.md).
const MAX_GROWTH_PCT = 25;
const MAX_RSS_GROWTH_PCT = 100;

/**
 * The soak of scripts/soak.js, bounded to 30 seconds for CI: mixed traffic
 * and a config change every 3 s, with no answer the traffic did not ask for,
 * no descriptor leak, and no gross memory growth.
 */
describe('soak (30 s)', () => {
  it('answers every request as asked through config changes, with no descriptor leak and no gross memory growth', async () => {
    const databaseUrl = await createTestDatabase('soak');
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'scripts/soak.js'),
        '--duration',
        '0.5',
        '--rate',
        '100',
        '--max-growth',
        String(MAX_GROWTH_PCT),
        '--max-rss-growth',
        String(MAX_RSS_GROWTH_PCT),
        '--churn',
        'routes',
        // Thirty seconds are all warm-up for the CP's query-plan cache (docs/benchmarks.md, "Soak"): its RSS is the tripwire here.
        '--no-cp-heap',
        '--json',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (!out.trim()) throw new Error(`soak printed no result (exit ${code}):\n${err}`);
    const result = JSON.parse(out) as SoakResult;
    expect(result.traffic.total).toBeGreaterThan(1000);
    expect(result.traffic.unexpectedSamples).toEqual([]);
    expect(result.traffic.unexpected).toBe(0);
    expect(result.changes).toBeGreaterThanOrEqual(8);
    expect(result.change_errors).toBe(0);
    for (const p of result.processes) {
      if (!(p.rss_floor_growth_pct < MAX_RSS_GROWTH_PCT && (p.heap_floor_growth_pct ?? 0) < MAX_GROWTH_PCT))
        throw new Error(`memory of ${p.name} not flat: ${JSON.stringify(p)}`);
      expect(p.fds_end - p.fds_after_warmup).toBeLessThanOrEqual(10);
    }
    expect(result.ok).toBe(true);
    expect(code).toBe(0);
  }, 120_000);
});
