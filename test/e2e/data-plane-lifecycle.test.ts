import fs from 'node:fs';
import path from 'node:path';
import { client, login, request, type Client } from '../support/api';
import { startLoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { freePort, startControlPlane, type TestControlPlane, type TestProcess } from '../support/processes';
import { implementExample, nextEvent, runLaunchScript, startEcho, touchConfig, waitFor, type ScriptedDataPlane } from './support';

/**
 * The acceptance list end to end, with real processes and real
 * certificates: a CP on its own database, the echo upstream, and a DP started
 * by running the CP's shell launch script with bash. The cases share these
 * processes and run in order; each states what it proves.
 */
describe('a data plane launched from the shell script', () => {
  let databaseUrl: string;
  let cp: TestControlPlane;
  let echo: TestProcess & { url: string };
  let api: Client;
  let dp: ScriptedDataPlane;
  let groupId: string;
  let example: { serviceId: string; routeId: string };
  const extra: TestProcess[] = [];

  const connected = (node?: { sync_status: string }): boolean => node?.sync_status === 'Connected';

  beforeAll(async () => {
    const started = startLoggedInControlPlane({ databasePrefix: 'e2e' });
    [cp, echo] = await Promise.all([started, startEcho()]);
    ({ api, databaseUrl } = await started);
    groupId = (await api.ok('GET', '/v1/runtime-groups/default')).id;
    example = await implementExample(api, echo.url);
  });

  afterAll(async () => {
    await Promise.all([dp?.remove(), ...[...extra, cp, echo].map((p) => p?.stop())]);
  });

  it('starts from the launch script, proxies GET /mock to the echo upstream and shows Connected', async () => {
    const script = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/x-shellscript/);
    dp = await runLaunchScript(script.text);
    const answer = await waitFor('GET /mock through the proxy', async () => {
      const res = await request(`${dp.proxyUrl}/mock`);
      return res.status === 200 ? res : undefined;
    });
    expect(answer.body).toMatchObject({ method: 'GET', path: '/' });
    await waitFor('the node to show Connected', async () => connected(await api.node(dp.nodeId())));
  });

  it('answers a kind other than shell or docker with 400 naming kind', async () => {
    const res = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'podman' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty('kind');
  });

  it('gets a route change made through the API into the proxy within 5 s', async () => {
    const started = Date.now();
    await api.ok('POST', '/v1/runtime-groups/default/routes', { name: 'late-route', paths: ['/late'], service: { id: example.serviceId } });
    await waitFor('the new route to answer', async () => (await request(`${dp.proxyUrl}/late`)).status === 200, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers POST to a GET-only route with 404 and Kong’s message', async () => {
    const res = await request(`${dp.proxyUrl}/mock`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('no Route matched with those values');
  });

  it('answers 502 when the upstream refuses connections', async () => {
    const dead = await freePort();
    await api.ok('POST', '/v1/runtime-groups/default/services', { name: 'dead-upstream', url: `http://127.0.0.1:${dead}`, retries: 0 });
    await api.ok('POST', '/v1/runtime-groups/default/routes', { name: 'dead-route', paths: ['/dead'], service: { name: 'dead-upstream' } });
    const res = await waitFor(
      'the dead route to be served',
      async () => {
        const r = await request(`${dp.proxyUrl}/dead`);
        return r.status === 404 ? undefined : r;
      },
      5000,
    );
    expect(res.status).toBe(502);
    expect(res.body.message).toBe('An invalid response was received from the upstream server');
  });

  it('reports a snapshot it cannot apply as rejected, keeps serving the previous config, and shows Out of sync', async () => {
    // The CP refuses to build a config that fails the protocol schema, so force one only the DP's
    // compiler refuses: a `~*` header regex that does not compile, written past the API.
    await query(databaseUrl, `UPDATE routes SET headers = '{"x-broken": ["~*(unclosed"]}'::jsonb WHERE name = 'late-route'`);
    await touchConfig(databaseUrl, groupId);
    const rejected = await dp.waitForEvent('snapshot_rejected', 10_000);
    expect(String(rejected.error)).toContain('regex');
    expect((await request(`${dp.proxyUrl}/mock`)).status).toBe(200);
    await waitFor('the node to show Out of sync', async () => (await api.node(dp.nodeId()))?.sync_status === 'Out of sync', 10_000);

    // Repaired, the next snapshot applies and the node is Connected again.
    await query(databaseUrl, `UPDATE routes SET headers = '{}'::jsonb WHERE name = 'late-route'`);
    await touchConfig(databaseUrl, groupId);
    await waitFor('the node to show Connected again', async () => connected(await api.node(dp.nodeId())), 10_000);
  });

  it('gets a change made on a second CP process sharing the database to a DP connected to the first', async () => {
    const cp2 = await startControlPlane({ databaseUrl });
    extra.push(cp2);
    const api2 = client(cp2.url, await login(cp2.url));
    await api2.ok('POST', '/v1/runtime-groups/default/routes', { name: 'from-cp2', paths: ['/from-cp2'], service: { id: example.serviceId } });
    await waitFor('the route made on CP 2 to reach the DP of CP 1', async () => (await request(`${dp.proxyUrl}/from-cp2`)).status === 200, 5000);
    await cp2.stop();
  });

  it('keeps serving while the CP is stopped, serves from its cache after a restart without the CP, and reconnects when the CP is back', async () => {
    const disconnected = nextEvent(dp, 'cluster_disconnected', 10_000);
    await cp.stop();
    await disconnected;
    expect((await request(`${dp.proxyUrl}/mock`)).status).toBe(200);

    // Running the same script again (the CP is still down) restarts the DP on the same node id, from its cache.
    const nodeId = dp.nodeId();
    const proxyPort = Number(new URL(dp.proxyUrl).port);
    await dp.stop();
    const script = fs.readFileSync(dp.scriptFile, 'utf8');
    fs.rmSync(path.dirname(dp.scriptFile), { recursive: true, force: true });
    dp = await runLaunchScript(script, { dpDir: dp.dpDir, proxyPort });
    expect(dp.nodeId()).toBe(nodeId);
    expect((await request(`${dp.proxyUrl}/mock`)).status).toBe(200);
    expect((await request(`${dp.proxyUrl}/late`)).status).toBe(200);

    // The CP comes back on the same address: the DP reconnects by itself and is Connected.
    const { adminPort, clusterPort } = cp;
    cp = await startControlPlane({
      databaseUrl,
      dataDir: cp.dataDir,
      env: {
        GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
        GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${clusterPort}`,
        GATEHOUSE_CLUSTER_ADVERTISE: `localhost:${clusterPort}`,
      },
    });
    await api.relogin();
    await waitFor('the node to show Connected after the CP restart', async () => connected(await api.node(nodeId)), 40_000);
  });
});
