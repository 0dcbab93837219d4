import http from 'node:http';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { startConnectedDataPlane } from './support/connected-dp';
import { call, startEcho, type TestDataPlane } from './support/harness';

const RG = '/v1/runtime-groups/default';

/** Polls until `check` holds (every 100 ms, 20 s at most). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One GET on a new connection (so a worker cluster's requests spread over its workers): the X-Cache-Status. */
function freshGet(base: string, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['x-cache-status'] as string | undefined));
    });
    req.on('error', reject);
  });
}

/** Requests until `want` answers were Misses (each worker's first), 20 s at most. */
async function missesSeen(base: string, path: string, want: number): Promise<void> {
  let misses = 0;
  await eventually(`${want} misses`, async () => {
    if ((await freshGet(base, path)) === 'Miss') misses++;
    return misses >= want;
  });
}

/**
 * Kong's proxy-cache purge through the CP: `DELETE /runtime-groups/{rg}/proxy-cache[/{key}]`
 * reaches the group's connected DP over the cluster link and empties its memory store.
 */
describe('proxy-cache purge through the control plane', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'proxy_cache' }), startEcho()]);
    api = cp.api;
    const creds = await api.post(`${RG}/dp-certificates`, {});
    dp = await startConnectedDataPlane(cp, creds.body);
  });

  afterAll(async () => {
    await Promise.all([dp?.stop(), cp?.stop(), echo?.close()]);
  });

  it('without a proxy-cache plugin: purging a key is 404, purging all is 204; a key over 256 characters is 400 naming cache_key', async () => {
    expect((await api.delete(`${RG}/proxy-cache/abc`)).status).toBe(404);
    expect((await api.delete(`${RG}/proxy-cache`)).status).toBe(204);
    const long = await api.delete(`${RG}/proxy-cache/${'a'.repeat(257)}`);
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.fields)).toEqual(['cache_key']);
    expect((await api.delete('/v1/runtime-groups/nope/proxy-cache')).status).toBe(404);
  });

  it('one key, then every entry, purged on the DP', async () => {
    const svc = await api.post(`${RG}/services`, { name: 'cached', url: echo.url });
    expect(svc.status).toBe(201);
    expect((await api.post(`${RG}/services/${svc.body.id}/routes`, { name: 'cached', paths: ['/cached'] })).status).toBe(201);
    const plugin = await api.post(`${RG}/plugins`, { name: 'proxy-cache', config: { strategy: 'memory' } });
    expect(plugin.status).toBe(201);
    expect(plugin.body.config).toMatchObject({ cache_ttl: 300, memory: { dictionary_name: 'kong_db_cache' } });

    await eventually('the plugin on the DP', async () => (await call(dp.proxy, '/cached/a')).headers.get('x-cache-status') === 'Hit');
    const key = (await call(dp.proxy, '/cached/a')).headers.get('x-cache-key')!;
    await call(dp.proxy, '/cached/b');
    expect((await call(dp.proxy, '/cached/b')).headers.get('x-cache-status')).toBe('Hit');

    expect((await api.delete(`${RG}/proxy-cache/${key}`)).status).toBe(204);
    await eventually('the key purged', async () => (await call(dp.proxy, '/cached/a')).headers.get('x-cache-status') === 'Miss');
    // Only that key went.
    expect((await call(dp.proxy, '/cached/b')).headers.get('x-cache-status')).toBe('Hit');

    expect((await api.delete(`${RG}/proxy-cache`)).status).toBe(204);
    await eventually('every entry purged', async () => (await call(dp.proxy, '/cached/b')).headers.get('x-cache-status') === 'Miss');
  });

  it('with GATEHOUSE_WORKERS=2 each worker caches on its own and a purge reaches both', async () => {
    const creds = await api.post(`${RG}/dp-certificates`, {});
    const workers = await startConnectedDataPlane(cp, creds.body, { GATEHOUSE_WORKERS: '2' });
    try {
      await eventually('the plugin on the DP', async () => (await freshGet(workers.proxy, '/cached/warm')) === 'Hit');
      // Each worker's own store: two Misses before both hold the entry.
      await missesSeen(workers.proxy, '/cached/w', 2);
      expect((await api.delete(`${RG}/proxy-cache`)).status).toBe(204);
      // A worker the purge missed would answer Hit for ever: two Misses again means both were emptied.
      await missesSeen(workers.proxy, '/cached/w', 2);
    } finally {
      await workers.stop();
    }
  });
});
