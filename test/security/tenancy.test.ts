import { randomUUID } from 'node:crypto';
import { TestDp } from '../cluster/dp-client';
import { call, client, login, type Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { populateTenant, readUrls, seedOrganization, writeCalls, type TenantEntities } from './tenants';

const B_EMAIL = 'owner@tenant-b.test';
const B_PASSWORD = 'tenant-b-password';

/** A stats batch of `count` 200s for a service, this minute. */
function statsBatch(serviceId: string, routeId: string, count: number): Record<string, unknown> {
  return {
    type: 'stats',
    batch_id: randomUUID(),
    buckets: [
      {
        minute: Math.floor(Date.now() / 60_000) * 60,
        route_id: routeId,
        service_id: serviceId,
        consumer_id: null,
        status: 200,
        count,
        latency_sum: count,
        latency_max: 1,
        latency_hist: {},
        upstream_latency_sum: 0,
        upstream_latency_max: 0,
        upstream_latency_hist: {},
      },
    ],
  };
}

/**
 * Two organizations on one installation. Organization A's token and A's data
 * plane certificate must never read, change or receive anything of B's, for
 * every collection of the API and over the cluster protocol; and names taken
 * in B stay free in A.
 */
describe('tenancy: organizations are kept apart', () => {
  let cp: LoggedInControlPlane;
  let apiA: Client;
  let tokenA: string;
  let apiB: Client;
  let a: TenantEntities;
  let b: TenantEntities;
  const nodeB = randomUUID();
  const dps: TestDp[] = [];

  /** Everything B can see of its own data, to prove A's attempts changed none of it. */
  const stateOfB = async (): Promise<string> =>
    JSON.stringify(
      await Promise.all(
        readUrls(b, nodeB)
          .filter((u) => !u.includes('analytics') && !u.includes('/nodes'))
          .map(async (u) => [u, (await apiB.get(u)).body]),
      ),
    );

  beforeAll(async () => {
    cp = await startLoggedInControlPlane({ databasePrefix: 'tenancy' });
    ({ api: apiA, token: tokenA } = cp);
    await seedOrganization(cp.databaseUrl, 'Tenant B', B_EMAIL, B_PASSWORD);
    apiB = client(cp.url, await login(cp.url, B_EMAIL, B_PASSWORD));
    b = await populateTenant(apiB, 'default');
    a = await populateTenant(apiA, 'default');
    // B's data plane connects and reports traffic, so B has a node and analytics to keep from A.
    const dp = await TestDp.connect(cp.clusterPort, b.certificate, { nodeId: nodeB });
    dps.push(dp);
    dp.hello();
    await dp.waitFor('snapshot');
    dp.send(statsBatch(b.service, b.route, 17));
    await dp.waitFor('stats_ack');
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await cp?.stop();
  });

  it('let the second organization use the same names (runtime group, service, route, consumer, Service Hub service) as the first', () => {
    expect(a.rg).not.toBe(b.rg);
    expect(a.route).not.toBe(b.route);
    expect(a.hub).not.toBe(b.hub);
  });

  it("never shows B's entities in A's lists", async () => {
    const bIds = [b.rg, b.service, b.route, b.plugin, b.consumer, b.keyAuth, b.basicAuth, b.acl, b.hub, b.version, b.certificate.id, b.pat, nodeB];
    const g = `/v1/runtime-groups/${a.rg}`;
    const lists = [
      '/v1/runtime-groups',
      `${g}/services`,
      `${g}/routes`,
      `${g}/plugins`,
      `${g}/consumers`,
      `${g}/consumers/${a.consumer}/key-auth`,
      `${g}/consumers/${a.consumer}/basic-auth`,
      `${g}/consumers/${a.consumer}/acls`,
      `${g}/dp-certificates`,
      `${g}/nodes`,
      '/v1/service-hub/services',
      `/v1/service-hub/services/${a.hub}/versions`,
      '/v1/personal-access-tokens',
      `${g}/config`,
      '/v1/me',
    ];
    for (const url of lists) {
      const res = await apiA.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      const text = JSON.stringify(res.body);
      for (const id of bIds) expect({ url, leaked: text.includes(id) }).toEqual({ url, leaked: false });
    }
  });

  it("answers 404 to every read of B's entities by id, through B's paths or A's own", async () => {
    const urls = readUrls(b, nodeB);
    // The same ids under A's own runtime group: an id must not be found just because the path's group is the caller's.
    const bIds = [b.service, b.route, b.plugin, b.consumer, b.keyAuth, b.basicAuth, b.acl, b.certificate.id, nodeB];
    const crossed = urls.map((u) => u.replace(b.rg, a.rg)).filter((u) => bIds.some((id) => u.includes(id)));
    for (const url of [...urls, ...crossed]) {
      const res = await apiA.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
    }
  });

  it("refuses every write to B's entities, and B's data stays exactly as it was", async () => {
    const before = await stateOfB();
    const calls = writeCalls(b, nodeB);
    const bIds = [b.service, b.route, b.plugin, b.consumer, b.keyAuth, b.basicAuth, b.acl, b.certificate.id, nodeB];
    const crossed = calls
      .map(([m, u, body]) => [m, u.replace(b.rg, a.rg), body] as [string, string, unknown])
      .filter(([, u]) => bIds.some((id) => u.includes(id)));
    for (const [method, url, body] of calls) {
      const res = await call(cp.url, method, url, { token: tokenA, body });
      expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
    }
    for (const [method, url, body] of crossed) {
      const res = await call(cp.url, method, url, { token: tokenA, body });
      // PUT on a missing id creates (as in Kong); ids are global, so B's id is taken: 409 naming `id`, and nothing of B's is touched.
      const expected = method === 'PUT' ? { status: 409, field: 'id' } : { status: 404, field: undefined };
      expect({ method, url, status: res.status, field: Object.keys(res.body?.fields ?? {})[0] }).toEqual({ method, url, ...expected });
    }
    expect(await stateOfB()).toBe(before);
  });

  it("refuses references to B's entities from A's own writes, naming the field", async () => {
    const g = `/v1/runtime-groups/${a.rg}`;
    const cases: [string, unknown, string][] = [
      [`${g}/routes`, { name: 'x-route', paths: ['/x'], service: { id: b.service } }, 'service'],
      [`${g}/plugins`, { name: 'rate-limiting', consumer: { id: b.consumer }, config: { minute: 1 } }, 'consumer'],
      [`${g}/plugins`, { name: 'rate-limiting', route: { id: b.route }, config: { minute: 1 } }, 'route'],
      [`${g}/plugins`, { name: 'rate-limiting', service: { id: b.service }, config: { minute: 1 } }, 'service'],
      [`/v1/service-hub/services/${a.hub}/versions`, { name: 'v-cross', runtime_group_id: b.rg }, 'runtime_group_id'],
    ];
    for (const [url, body, field] of cases) {
      const res = await apiA.post(url, body);
      expect({ url, field, status: res.status }).toEqual({ url, field, status: 400 });
      expect(Object.keys(res.body.fields ?? {})).toContain(field);
    }
    const version = await apiA.post(`/v1/service-hub/services/${a.hub}/versions`, { name: 'v-link', runtime_group_id: a.rg });
    const link = await apiA.post(`/v1/service-hub/services/${a.hub}/versions/${version.body.id}/implementation`, { service: { id: b.service } });
    expect(link.status).toBeGreaterThanOrEqual(400);
    expect(link.status).toBeLessThan(500);
  });

  it("shows A none of B's traffic: B's analytics are 404 to A and A's totals do not count them", async () => {
    const mine = await apiA.get(`/v1/runtime-groups/${a.rg}/analytics`);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(0);
    const theirs = await apiB.get(`/v1/runtime-groups/${b.rg}/analytics`);
    expect(theirs.body.total).toBe(17);
    expect((await apiA.get(`/v1/runtime-groups/${a.rg}/analytics?service=${b.service}`)).status).toBe(404);
  });

  it("gives A's data plane A's config only, and refuses it B's node id", async () => {
    const dp = await TestDp.connect(cp.clusterPort, a.certificate);
    dps.push(dp);
    dp.hello();
    const snapshot = await dp.waitFor('snapshot');
    const text = JSON.stringify(snapshot.config);
    for (const id of [b.service, b.route, b.plugin, b.consumer, b.keyAuth, b.basicAuth, b.acl]) expect(text.includes(id)).toBe(false);
    expect(snapshot.config.services.map((s: { id: string }) => s.id)).toEqual([a.service]);
    dp.close();

    // A node id is owned by one organization: A's certificate cannot take over B's node, nor disconnect it.
    const impostor = await TestDp.connect(cp.clusterPort, a.certificate, { nodeId: nodeB });
    dps.push(impostor);
    impostor.hello();
    expect((await impostor.waitFor('error')).code).toBe('node_id_conflict');
    expect((await impostor.waitClosed()).code).toBe(4403);
    expect(impostor.ofType('snapshot')).toHaveLength(0);
    expect(dps[0]!.closed).toBeUndefined();
    const nodesOfB = await apiB.get(`/v1/runtime-groups/${b.rg}/nodes`);
    expect(nodesOfB.body.data.map((n: { id: string }) => n.id)).toEqual([nodeB]);
  });

  it("never lets B's data plane certificate fetch A's config", async () => {
    const dp = await TestDp.connect(cp.clusterPort, b.certificate);
    dps.push(dp);
    dp.hello();
    const snapshot = await dp.waitFor('snapshot');
    expect(JSON.stringify(snapshot.config).includes(a.service)).toBe(false);
    dp.close();
  });
});
