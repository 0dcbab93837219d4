import type { Client, WireJson } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { sleep, TestDp } from './dp-client';

const A = '/v1/runtime-groups/default';
const B = '/v1/runtime-groups/group-b';

describe('cluster sync: snapshots, push and node status', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;
  let certA: { id: string; cert: string; key: string; ca_cert: string; not_after: number };
  let certB: typeof certA;
  const dps: TestDp[] = [];

  const connect = async (cert: typeof certA, opts: { version?: string } = {}): Promise<TestDp> => {
    const dp = await TestDp.connect(cp.clusterPort, cert, opts);
    dps.push(dp);
    return dp;
  };
  const nodes = async (): Promise<WireJson[]> => (await api.get(`${A}/nodes`)).body.data;
  const node = async (id: string): Promise<WireJson> => (await nodes()).find((n) => n.id === id);

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
    expect((await api.post('/v1/runtime-groups', { name: 'group-b' })).status).toBe(201);
    certA = (await api.post(`${A}/dp-certificates`)).body;
    certB = (await api.post(`${B}/dp-certificates`)).body;
    expect((await api.post(`${A}/services`, { name: 'svc-a', url: 'http://a.internal' })).status).toBe(201);
    expect((await api.post(`${B}/services`, { name: 'svc-b', url: 'http://b.internal' })).status).toBe(201);
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await cp?.stop();
  });

  it("gives a DP its own group's config only, never another group's", async () => {
    const dpA = await connect(certA);
    const dpB = await connect(certB);
    dpA.hello();
    dpB.hello();
    const [snapA, snapB] = await Promise.all([dpA.waitFor('snapshot'), dpB.waitFor('snapshot')]);
    expect(snapA.config.services.map((s: { name: string }) => s.name)).toEqual(['svc-a']);
    expect(snapB.config.services.map((s: { name: string }) => s.name)).toEqual(['svc-b']);
    expect((await api.post(`${B}/services`, { name: 'svc-b2', url: 'http://b2.internal' })).status).toBe(201);
    const next = await dpB.waitFor('snapshot', (m) => m.config.services.length === 2);
    expect(next.config.services.map((s: { name: string }) => s.name)).toEqual(['svc-b', 'svc-b2']);
    await sleep(300);
    expect(dpA.ofType('snapshot')).toHaveLength(1);
    dpA.close();
    dpB.close();
  });

  it('pushes a change made through the API at once; the pushed hash is the expected-config-hash', async () => {
    const dp = await connect(certA);
    dp.hello();
    await dp.waitFor('snapshot');
    const started = Date.now();
    expect((await api.post(`${A}/services/svc-a/routes`, { name: 'r-a', paths: ['/a'] })).status).toBe(201);
    const pushed = await dp.waitFor('snapshot', (m) => m.config.routes.length === 1, 5000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(pushed.config.routes[0]).toMatchObject({ name: 'r-a', paths: ['/a'], service: { id: pushed.config.services[0].id } });
    const expected = (await api.get(`${A}/expected-config-hash`)).body;
    expect(expected).toEqual({ expected_hash: pushed.hash, version: pushed.version });
    dp.close();
  });

  it('sends nothing when the DP already holds the current hash, or when a change leaves the hash as it was', async () => {
    const { expected_hash } = (await api.get(`${A}/expected-config-hash`)).body;
    const dp = await connect(certA);
    dp.hello(expected_hash);
    await sleep(300);
    // A version bump that changes no content (as a no-op write would make) is announced but hashes the same.
    await query(databaseUrl, "UPDATE runtime_groups SET config_version = config_version + 1 WHERE name = 'default'");
    await query(databaseUrl, "SELECT pg_notify('gatehouse_config', id::text) FROM runtime_groups WHERE name = 'default'");
    dp.send({ type: 'ping', hash: expected_hash });
    await dp.waitFor('pong');
    await sleep(300);
    expect(dp.ofType('snapshot')).toHaveLength(0);
    expect((await api.get(`${A}/expected-config-hash`)).body.expected_hash).toBe(expected_hash);
    dp.close();
  });

  it('coalesces a burst of changes and always delivers the last state', async () => {
    const dp = await connect(certA);
    dp.hello();
    await dp.waitFor('snapshot');
    const changes = 12;
    for (let i = 1; i <= changes; i++) expect((await api.patch(`${A}/services/svc-a`, { retries: i })).status).toBe(200);
    await dp.waitFor('snapshot', (m) => m.config.services[0].retries === changes, 5000);
    await sleep(300);
    const snapshots = dp.ofType('snapshot');
    expect(snapshots[snapshots.length - 1].config.services[0].retries).toBe(changes);
    expect(snapshots.length).toBeLessThanOrEqual(changes + 1);
    dp.close();
  });

  it('reports nodes: Connected once applied, Out of sync after a rejection, with hostname, ip, version and certificate expiry', async () => {
    const dp = await connect(certA);
    dp.hello();
    const snap = await dp.waitFor('snapshot');
    dp.send({ type: 'applied', version: snap.version, hash: snap.hash });
    dp.send({ type: 'ping', hash: snap.hash });
    await dp.waitFor('pong');
    const seen = await node(dp.nodeId);
    expect(seen).toMatchObject({
      id: dp.nodeId,
      hostname: 'test-host',
      ip: '127.0.0.1',
      version: '0.1.0',
      config_hash: snap.hash,
      sync_status: 'Connected',
      cert_not_after: certA.not_after,
    });
    expect(Math.abs(seen.last_seen - Date.now() / 1000)).toBeLessThan(10);

    expect((await api.patch(`${A}/services/svc-a`, { retries: 3 })).status).toBe(200);
    const bad = await dp.waitFor('snapshot', (m) => m.hash !== snap.hash);
    dp.send({ type: 'rejected', version: bad.version, hash: bad.hash, error: 'forced schema violation' });
    dp.send({ type: 'ping', hash: snap.hash });
    await dp.waitFor('pong', () => dp.ofType('pong').length >= 2);
    expect(await node(dp.nodeId)).toMatchObject({ sync_status: 'Out of sync', config_hash: snap.hash, last_error: 'forced schema violation' });

    // Gone quiet for 30 s (simulated on the row): Disconnected, never Connected. Then DELETE removes it.
    dp.close();
    await sleep(300);
    await query(databaseUrl, "UPDATE nodes SET last_seen = now() - interval '31 seconds' WHERE id = $1", [dp.nodeId]);
    expect((await node(dp.nodeId)).sync_status).toBe('Disconnected');
    expect((await api.delete(`${A}/nodes/${dp.nodeId}`)).status).toBe(204);
    expect(await node(dp.nodeId)).toBeUndefined();
    expect((await api.delete(`${A}/nodes/${dp.nodeId}`)).status).toBe(404);
  });

  it('sends nothing to an Incompatible DP: other major version, newer minor, or a missing plugin', async () => {
    const major = await connect(certA, { version: '1.0.0' });
    major.hello(null, ['cors'], '1.0.0');
    const minor = await connect(certA, { version: '0.2.0' });
    minor.hello(null, ['cors'], '0.2.0');
    expect((await api.post(`${A}/plugins`, { name: 'cors' })).status).toBe(201);
    const lacking = await connect(certA);
    lacking.hello(null, ['key-auth']);
    for (const dp of [major, minor, lacking]) {
      dp.send({ type: 'ping', hash: null });
      await dp.waitFor('pong');
    }
    await sleep(300);
    for (const dp of [major, minor, lacking]) {
      expect(dp.ofType('snapshot')).toHaveLength(0);
      const n = await node(dp.nodeId);
      expect(n.sync_status).toBe('Incompatible');
    }
    expect((await node(lacking.nodeId)).last_error).toMatch(/cors/);
    for (const dp of [major, minor, lacking]) dp.close();
  });

  it('names what is wrong with a bad message and keeps the connection; anything before hello is a protocol error', async () => {
    const early = await connect(certA);
    early.send({ type: 'ping', hash: null });
    expect((await early.waitFor('error')).code).toBe('protocol_error');
    expect((await early.waitClosed()).code).toBe(4400);
    expect(early.ofType('snapshot')).toHaveLength(0);

    const dp = await connect(certA);
    dp.hello(null, ['cors']);
    await dp.waitFor('snapshot');
    dp.send({ type: 'applied', version: 'one', hash: 'x' });
    const err = await dp.waitFor('error');
    expect(err).toMatchObject({ code: 'invalid_message', message: expect.stringContaining('version') });
    dp.ws.send('not json');
    await dp.waitFor('error', (m) => /not JSON/.test(m.message));
    dp.send({ type: 'ping', hash: null });
    await dp.waitFor('pong');
    expect(dp.closed).toBeUndefined();
    dp.close();
  });

  it('sends a large snapshot as a gzip binary frame', async () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `tag-${i}-${'x'.repeat(90)}`);
    expect((await api.post(`${A}/services`, { name: 'big', url: 'http://big.internal', tags })).status).toBe(201);
    const dp = await connect(certA);
    dp.hello(null, ['cors']);
    await dp.waitFor('snapshot');
    const frame = dp.received.find((r) => r.msg.type === 'snapshot');
    expect(frame?.binary).toBe(true);
    expect(frame?.msg.config.services.find((s: { name: string }) => s.name === 'big').tags).toHaveLength(1000);
    dp.close();
  });
});
