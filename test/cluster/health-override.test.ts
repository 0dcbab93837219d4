import { client, login, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, type TestControlPlane } from '../support/processes';
import { TestDp } from './dp-client';

const RG = '/v1/runtime-groups/default';

/**
 * The cluster side of target health with two CP processes on one database:
 * a DP's `health` report is served by the CP it is connected to, and a
 * manual override made through the other CP still reaches it (NOTIFY).
 */
describe('target health over the cluster link, two CPs', () => {
  let cp1: TestControlPlane;
  let cp2: TestControlPlane;
  let api1: Client;
  let api2: Client;
  const dps: TestDp[] = [];

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('cluster_health');
    [cp1, cp2] = await Promise.all([startControlPlane({ databaseUrl }), startControlPlane({ databaseUrl })]);
    api1 = client(cp1.url, await login(cp1.url));
    api2 = client(cp2.url, await login(cp2.url));
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await Promise.all([cp1?.stop(), cp2?.stop()]);
  });

  it("serves a DP's report on its CP and pushes an override made on the other CP to it", async () => {
    const up = await api1.ok<{ id: string }>('POST', `${RG}/upstreams`, {
      name: 'pool.internal',
      healthchecks: { passive: { unhealthy: { http_failures: 1 } } },
    });
    await api1.ok('POST', `${RG}/upstreams/pool.internal/targets`, { target: '10.0.0.1:80' });
    await api1.ok('POST', `${RG}/upstreams/pool.internal/targets`, { target: '10.0.0.2:80', weight: 50 });
    const cert = (await api1.post(`${RG}/dp-certificates`)).body;
    const dp = await TestDp.connect(cp2.clusterPort, cert);
    dps.push(dp);
    dp.hello();
    await dp.waitFor('snapshot');

    // Before any report: checks on, so HEALTHY, and no node.
    const before = await api2.get(`${RG}/upstreams/pool.internal/health`);
    expect(before.body).toMatchObject({
      total: 2,
      nodes: [],
      data: [
        { target: '10.0.0.1:80', health: 'HEALTHY' },
        { target: '10.0.0.2:80', weight: 50, health: 'HEALTHY' },
      ],
    });

    dp.send({
      type: 'health',
      upstreams: [
        {
          id: up.id,
          name: 'pool.internal',
          targets: [
            { target: '10.0.0.1:80', weight: 100, health: 'HEALTHY' },
            { target: '10.0.0.2:80', weight: 50, health: 'UNHEALTHY' },
          ],
        },
      ],
    });
    dp.send({ type: 'ping', hash: null });
    await dp.waitFor('pong');
    const after = await api2.get(`${RG}/upstreams/${up.id}/health`);
    expect(after.body.nodes).toEqual([expect.objectContaining({ node_id: dp.nodeId, hostname: 'test-host' })]);
    expect(after.body.data[1]).toMatchObject({
      target: '10.0.0.2:80',
      health: 'UNHEALTHY',
      data: { addresses: [{ ip: '10.0.0.2', port: 80, health: 'UNHEALTHY', weight: 50 }], nodes: [{ node_id: dp.nodeId, health: 'UNHEALTHY' }] },
    });
    // The other CP holds no connection of it: its reports are in the memory of the CP the DP talks to (docs/API.md).
    expect((await api1.get(`${RG}/upstreams/pool.internal/health`)).body.nodes).toEqual([]);

    // An override through cp1 reaches the DP held by cp2.
    expect((await api1.post(`${RG}/upstreams/pool.internal/targets/10.0.0.2:80/healthy`)).status).toBe(204);
    expect(await dp.waitFor('health_override', undefined, 5000)).toEqual({ type: 'health_override', upstream_id: up.id, target: '10.0.0.2:80', healthy: true });
    const byId = (await api1.get(`${RG}/upstreams/pool.internal/targets/10.0.0.1:80`)).body.id as string;
    expect((await api1.post(`${RG}/upstreams/pool.internal/targets/${byId}/unhealthy`)).status).toBe(204);
    expect(await dp.waitFor('health_override', (m) => m.target === '10.0.0.1:80', 5000)).toMatchObject({ healthy: false });

    // A closed connection takes its report with it.
    dp.close();
    await new Promise((r) => setTimeout(r, 300));
    expect((await api2.get(`${RG}/upstreams/pool.internal/health`)).body.nodes).toEqual([]);
  });
});
