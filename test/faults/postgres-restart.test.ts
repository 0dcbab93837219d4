import { waitFor } from '../e2e/support';
import { request } from '../support/api';
import { startNode, tempDir, type TestProcess } from '../support/processes';
import { Stack } from './stack';

/** A dedicated PostgreSQL server in its own process (see embedded-postgres-server.js). */
async function startPostgres(dir: string, port?: number): Promise<TestProcess & { url: string }> {
  const proc = startNode('test/faults/embedded-postgres-server.js', {}, [dir, ...(port ? [String(port)] : [])]);
  const ready = await proc.waitForEvent('postgres_ready', 60_000);
  return { ...proc, url: ready.url as string };
}

/**
 * PostgreSQL stopped and started again under a running CP (a dedicated
 * embedded server, so the test run's shared one is untouched): meanwhile the
 * API answers 503 `database_unavailable` (never a crash or a hang), the DP
 * keeps serving; afterwards the API recovers by itself, LISTEN is re-made (a
 * change reaches the DP), and every request is counted.
 */
describe('fault: PostgreSQL stops and restarts under a running CP', () => {
  const dir = tempDir('gatehouse-faults-pg-');
  let pg: TestProcess & { url: string };
  let port: number;
  let stack: Stack;

  beforeAll(async () => {
    pg = await startPostgres(dir);
    port = Number(new URL(pg.url).port);
    stack = await Stack.start({ databaseUrl: pg.url });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await pg?.stop(30_000);
  });

  it('answers 503 database_unavailable while the database is down, serves traffic meanwhile, and recovers by itself', async () => {
    expect(await stack.traffic(10)).toBe(10);
    await pg.stop(30_000);

    const down = await Promise.all([
      stack.api.get('/v1/runtime-groups'),
      stack.api.post('/v1/runtime-groups/default/services', { name: 'during-outage', url: 'http://x.internal' }),
      stack.api.get('/v1/runtime-groups/default/nodes'),
      request(`${stack.cp.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@b.c', password: 'x' }),
      }),
    ]);
    for (const res of down) {
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 503, code: 'database_unavailable' });
      expect(res.body.message).toMatch(/database/);
    }
    const health = await request(`${stack.cp.url}/v1/health`);
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', database: 'unavailable' });
    expect(await stack.traffic(20)).toBe(20);
    // Long enough for heartbeat flushes and stats deliveries to fail too: each API call still answers 503 promptly.
    const until = Date.now() + 7000;
    while (Date.now() < until) {
      const started = Date.now();
      expect((await stack.api.get('/v1/runtime-groups/default/services')).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await stack.traffic(5)).toBe(5);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(stack.cp.child.exitCode).toBeNull();

    pg = await startPostgres(dir, port);
    await waitFor('the API to answer again', async () => (await stack.api.get('/v1/runtime-groups')).status === 200, 30_000);
    expect((await request(`${stack.cp.url}/v1/health`)).status).toBe(200);
    expect(stack.cp.child.exitCode).toBeNull();

    // LISTEN is back: a change made now reaches the DP without anything else happening.
    const service = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes/mockbin')).service.id as string;
    await stack.api.ok('POST', '/v1/runtime-groups/default/routes', { name: 'after-outage', paths: ['/after-outage'], service: { id: service } });
    await waitFor('the new route to be served', async () => (await stack.proxy('/after-outage')).status === 200, 20_000);
    await stack.converged();
    await stack.statsComplete();
  });
});
