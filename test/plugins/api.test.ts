import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { startConnectedDataPlane } from './support/connected-dp';
import { awayFromMinuteEdge, call, startEcho, type TestDataPlane } from './support/harness';

const RG = '/v1/runtime-groups/default';
const KEY = 'hw-consumer-key-4f1c2e9a';

/** Polls until `check` holds (every 100 ms, 15 s at most). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Plugins by API, end to end: the CP validates and stores plugin configs,
 * ships them to a real DP over the cluster protocol, and the DP enforces them.
 */
describe('plugins through the control plane', () => {
  let databaseUrl: string;
  let cp: LoggedInControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let serviceId: string;

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'plugins' }), startEcho()]);
    ({ api, databaseUrl } = cp);
    const svc = await api.post(`${RG}/services`, { name: 'hwservice', url: echo.url });
    expect(svc.status).toBe(201);
    serviceId = svc.body.id;
    const creds = await api.post(`${RG}/dp-certificates`, {});
    expect(creds.status).toBe(201);
    dp = await startConnectedDataPlane(cp, creds.body);
  });

  afterAll(async () => {
    await Promise.all([dp?.stop(), cp?.stop(), echo?.close()]);
  });

  describe('config validation', () => {
    it('answers 400 schema_violation naming config.<field> for a bad config', async () => {
      const res = await api.post(`${RG}/plugins`, { name: 'rate-limiting', config: { minute: 'five' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('schema_violation');
      expect(Object.keys(res.body.fields)).toEqual(['config.minute']);
      const none = await api.post(`${RG}/plugins`, { name: 'rate-limiting', config: {} });
      expect(none.status).toBe(400);
      expect(none.body.fields.config).toContain("'config.minute'");
      const unknownField = await api.post(`${RG}/plugins`, { name: 'cors', config: { origin: ['*'] } });
      expect(unknownField.body.fields).toEqual({ 'config.origin': 'unknown field' });
    });

    it('answers 400 naming `name` for an unknown plugin, and `consumer` where Kong forbids consumer scope', async () => {
      const unknown = await api.post(`${RG}/plugins`, { name: 'no-such-plugin', config: {} });
      expect(unknown.status).toBe(400);
      expect(unknown.body.fields).toHaveProperty('name');
      const consumer = await api.post(`${RG}/consumers`, { username: 'scoped' });
      const scoped = await api.post(`${RG}/plugins`, { name: 'key-auth', consumer: { id: consumer.body.id } });
      expect(scoped.status).toBe(400);
      expect(scoped.body.fields).toHaveProperty('consumer');
    });

    it("stores and answers the config with Kong's defaults filled in; PATCH is validated too", async () => {
      const created = await api.post(`${RG}/plugins`, { name: 'correlation-id', instance_name: 'corr', config: {}, enabled: false });
      expect(created.status).toBe(201);
      expect(created.body.config).toEqual({ header_name: 'Kong-Request-ID', generator: 'uuid#counter', echo_downstream: false });
      const patched = await api.patch(`${RG}/plugins/${created.body.id}`, { config: { echo_downstream: true } });
      expect(patched.status).toBe(200);
      expect(patched.body.config).toEqual({ header_name: 'Kong-Request-ID', generator: 'uuid#counter', echo_downstream: true });
      const bad = await api.patch(`${RG}/plugins/${created.body.id}`, { config: { generator: 'random' } });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toHaveProperty(['config.generator']);
      expect((await api.get(`${RG}/plugins/${created.body.id}`)).body.config.generator).toBe('uuid#counter');
    });
  });

  it('rate-limiting minute 5 on `external`: the 6th request in a minute is 429; `internal` is never limited', async () => {
    const external = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'external', paths: ['/external'] });
    await api.post(`${RG}/services/${serviceId}/routes`, { name: 'internal', paths: ['/internal'] });
    const plugin = await api.post(`${RG}/plugins`, { name: 'rate-limiting', route: { id: external.body.id }, config: { minute: 5, policy: 'local' } });
    expect(plugin.status).toBe(201);
    expect(plugin.body.config).toMatchObject({ minute: 5, limit_by: 'consumer', fault_tolerant: true });
    // A marker written after the plugin: once it answers, the DP holds a snapshot with the plugin,
    // and no request to `external` was spent finding that out.
    const marker = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'marker', paths: ['/marker'] });
    await api.post(`${RG}/plugins`, { name: 'request-termination', route: { id: marker.body.id }, config: { status_code: 204 } });
    await eventually('the snapshot with the plugin to reach the DP', async () => (await call(dp.proxy, '/marker')).status === 204);
    await awayFromMinuteEdge();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(dp.proxy, '/external'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = answers[5]!;
    expect(limited.json).toEqual({ message: 'API rate limit exceeded' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    for (let i = 0; i < 7; i++) expect((await call(dp.proxy, '/internal')).status).toBe(200);
  });

  it('key-auth: no key 401, wrong key 401, right key 200 with X-Consumer-Username; no plaintext key stored or shipped', async () => {
    const route = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'secure', paths: ['/secure'] });
    const consumer = await api.post(`${RG}/consumers`, { username: 'hw-user' });
    const cred = await api.post(`${RG}/consumers/hw-user/key-auth`, { key: KEY });
    expect(cred.status).toBe(201);
    expect((await api.post(`${RG}/plugins`, { name: 'key-auth', route: { id: route.body.id } })).status).toBe(201);
    await eventually('key-auth to reach the DP', async () => (await call(dp.proxy, '/secure')).status === 401);

    const none = await call(dp.proxy, '/secure');
    expect(none.json).toEqual({ message: 'No API key found in request' });
    const wrong = await call(dp.proxy, '/secure', { headers: { apikey: 'not-the-key' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ message: 'Unauthorized' });
    const right = await call(dp.proxy, '/secure', { headers: { apikey: KEY } });
    expect(right.status).toBe(200);
    expect(right.json.headers).toMatchObject({ 'x-consumer-username': 'hw-user', 'x-consumer-id': consumer.body.id });

    const tables = await query<{ table_name: string }>(databaseUrl, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    for (const { table_name } of tables) {
      const rows = await query<{ row: string }>(databaseUrl, `SELECT t::text AS row FROM "${table_name}" t`);
      expect({ table_name, leaked: rows.some((r) => r.row.includes(KEY)) }).toEqual({ table_name, leaked: false });
    }
    expect(fs.readFileSync(path.join(dp.dir, 'config.json'), 'utf8')).not.toContain(KEY);
    expect((await api.get(`${RG}/consumers/hw-user/key-auth`)).body.data[0].key).toBeUndefined();
  });
});
