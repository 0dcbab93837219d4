import fs from 'node:fs';
import path from 'node:path';
import { request, type Client } from '../support/api';
import { startLoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import type { TestControlPlane, TestProcess } from '../support/processes';
import { implementExample, nextEvent, runLaunchScript, startEcho, touchConfig, waitFor, type ScriptedDataPlane } from '../e2e/support';

/** The JSON log lines of a process (the primary and its workers share one stdout), in the order written. */
function events(proc: TestProcess): Record<string, unknown>[] {
  return proc.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * The snapshot pipeline of a DP with proxy workers, end to end: a real CP, a
 * DP started from the launch script with GATEHOUSE_WORKERS=2. `applied`
 * (logged `snapshot_applied`, then sent) comes only after both workers serve
 * the snapshot and the cache holds it; a snapshot the DP cannot compile is
 * rejected and never reaches the workers or the cache.
 */
describe('a DP with proxy workers answers for a snapshot only once the whole DP serves it', () => {
  let cp: TestControlPlane;
  let echo: TestProcess & { url: string };
  let api: Client;
  let databaseUrl: string;
  let dp: ScriptedDataPlane;
  let serviceId: string;
  const running: { stop(): Promise<unknown> }[] = [];
  /** The hash of the config the DP got when it connected. */
  let initialHash: unknown;

  beforeAll(async () => {
    const started = startLoggedInControlPlane({ databasePrefix: 'dpworkers' });
    [cp, echo] = await Promise.all([started, startEcho()]);
    running.push(cp, echo);
    ({ api, databaseUrl } = await started);
    ({ serviceId } = await implementExample(api, echo.url));
    const script = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    dp = await runLaunchScript(script.text, { env: { GATEHOUSE_WORKERS: '2' } });
    running.push({ stop: () => dp.remove() });
    initialHash = (await dp.waitForEvent('snapshot_applied', 20_000)).hash;
    await waitFor('the node to show Connected', async () => (await api.node(dp.nodeId()))?.sync_status === 'Connected');
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  it('logs applied after both workers serve the new snapshot and the cache holds it', async () => {
    await api.ok('POST', '/v1/runtime-groups/default/routes', { name: 'with-workers', paths: ['/with-workers'], service: { id: serviceId } });
    const applied = await dp.waitForEvent('snapshot_applied', 20_000, (e) => e.hash !== initialHash);
    // Each process writes its log lines asynchronously, so their order in the shared stdout proves nothing:
    // the time of each log call does (a worker logs before it tells the primary, which logs after hearing from both).
    const served = await waitFor('both workers to log serving it', () => {
      const lines = events(dp).filter((e) => e.event === 'worker_config_served' && e.hash === applied.hash);
      return Promise.resolve(lines.length >= 2 ? lines : undefined);
    });
    expect(new Set(served.map((e) => e.pid)).size).toBe(2);
    for (const line of served) expect(Date.parse(String(line.time))).toBeLessThanOrEqual(Date.parse(String(applied.time)));
    const cached = JSON.parse(fs.readFileSync(path.join(dp.dpDir, 'config.json'), 'utf8')) as { hash: string };
    expect(cached.hash).toBe(applied.hash);
    for (let i = 0; i < 6; i++) expect((await request(`${dp.proxyUrl}/with-workers`)).status).toBe(200);
    await waitFor('the node to show Connected', async () => (await api.node(dp.nodeId()))?.sync_status === 'Connected');
  });

  it('rejects a snapshot it cannot compile: no worker gets it, the cache keeps the previous one, every worker keeps serving', async () => {
    const cachedBefore = fs.readFileSync(path.join(dp.dpDir, 'config.json'), 'utf8');
    const from = dp.lines.length;
    const next = nextEvent(dp, 'snapshot_rejected');
    // Only the DP's compiler refuses this (the CP's schema accepts it): a `~*` header regex that does not compile, written past the API.
    await query(databaseUrl, `UPDATE routes SET headers = '{"x-broken": ["~*(unclosed"]}'::jsonb WHERE name = 'with-workers'`);
    const group = await api.ok<{ id: string }>('GET', '/v1/runtime-groups/default');
    await touchConfig(databaseUrl, group.id);
    const rejected = await next;
    expect(String(rejected.error)).toContain('regex');
    expect(dp.lines.slice(from).some((l) => l.includes('"worker_config_served"') && l.includes(String(rejected.hash)))).toBe(false);
    expect(fs.readFileSync(path.join(dp.dpDir, 'config.json'), 'utf8')).toBe(cachedBefore);
    for (let i = 0; i < 6; i++) expect((await request(`${dp.proxyUrl}/with-workers`)).status).toBe(200);
    await waitFor('the node to show Out of sync', async () => (await api.node(dp.nodeId()))?.sync_status === 'Out of sync', 10_000);
  });
});
