import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';

const RG = '/v1/runtime-groups/default';

describe('gateway entities (generic CRUD)', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  const configVersion = async (): Promise<number> =>
    Number((await query<{ v: string }>(databaseUrl, "SELECT config_version AS v FROM runtime_groups WHERE name = 'default'"))[0]?.v);

  it('creates a service from a url with Kong defaults, reads it by id and name, and bumps the config version', async () => {
    const before = await configVersion();
    const res = await api.post(`${RG}/services`, { name: 'billing', url: 'https://billing.internal:8443/api' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'billing',
      protocol: 'https',
      host: 'billing.internal',
      port: 8443,
      path: '/api',
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      tags: [],
      enabled: true,
    });
    expect(typeof res.body.created_at).toBe('number');
    expect(await configVersion()).toBe(before + 1);
    expect((await api.get(`${RG}/services/${res.body.id}`)).body.name).toBe('billing');
    expect((await api.get(`${RG}/services/billing`)).body.id).toBe(res.body.id);
  });

  it('PATCH merges and re-validates, PUT replaces, DELETE answers 204', async () => {
    const created = (await api.post(`${RG}/services`, { name: 'orders', host: 'orders.internal', retries: 2 })).body;
    const patched = await api.patch(`${RG}/services/orders`, { read_timeout: 1000 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ retries: 2, read_timeout: 1000, host: 'orders.internal' });
    const badPatch = await api.patch(`${RG}/services/orders`, { port: 70000 });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.fields).toHaveProperty('port');
    const replaced = await api.put(`${RG}/services/${created.id}`, { name: 'orders', host: 'orders2.internal' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: created.id, retries: 5, read_timeout: 60000, host: 'orders2.internal' });
    expect((await api.delete(`${RG}/services/orders`)).status).toBe(204);
    expect((await api.get(`${RG}/services/orders`)).status).toBe(404);
  });

  it('PUT by name creates the entity when it does not exist', async () => {
    const res = await api.put(`${RG}/services/created-by-put`, { host: 'put.internal' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('created-by-put');
  });

  it('rejects a gateway service name with a space, naming `name`, and a duplicate with 409', async () => {
    const bad = await api.post(`${RG}/services`, { name: 'Example Service', url: 'http://mockbin.org' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('schema_violation');
    expect(bad.body.fields).toHaveProperty('name');
    await api.post(`${RG}/services`, { name: 'dup', host: 'a.internal' });
    const dup = await api.post(`${RG}/services`, { name: 'dup', host: 'b.internal' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'unique_violation', fields: { name: expect.any(String) } });
  });

  it('serves routes top-level and nested under their service, with organization-wide case-sensitive names', async () => {
    await api.post(`${RG}/services`, { name: 'catalog', url: 'http://catalog.internal' });
    const nested = await api.post(`${RG}/services/catalog/routes`, { name: 'catalog-read', methods: 'GET, HEAD', paths: ['/catalog'] });
    expect(nested.status).toBe(201);
    expect(nested.body).toMatchObject({
      methods: ['GET', 'HEAD'],
      strip_path: true,
      preserve_host: false,
      regex_priority: 0,
      https_redirect_status_code: 426,
      protocols: ['http', 'https'],
    });
    const service = (await api.get(`${RG}/services/catalog`)).body;
    expect(nested.body.service).toEqual({ id: service.id });
    const top = await api.post(`${RG}/routes`, { name: 'Catalog-Read', paths: ['/Catalog'], service: { name: 'catalog' } });
    expect(top.status).toBe(201);
    const dup = await api.post(`${RG}/routes`, { name: 'catalog-read', paths: ['/other'] });
    expect(dup.status).toBe(409);
    expect(dup.body.fields).toHaveProperty('name');
    const list = await api.get(`${RG}/services/catalog/routes`);
    expect(list.body.data.map((r: { name: string }) => r.name).sort()).toEqual(['Catalog-Read', 'catalog-read']);
    const noPath = await api.post(`${RG}/routes`, { name: 'bad', paths: ['mock'] });
    expect(noPath.status).toBe(400);
    expect(noPath.body.fields).toHaveProperty(['paths[0]']);
    const nothing = await api.post(`${RG}/routes`, { name: 'empty' });
    expect(nothing.status).toBe(400);
    const used = await api.delete(`${RG}/services/catalog`);
    expect(used.status).toBe(409);
  });

  it('refuses a reference to a missing service with 400 naming `service`', async () => {
    const res = await api.post(`${RG}/routes`, { paths: ['/x'], service: { name: 'no-such-service' } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty('service');
  });

  it('stores consumers with key-auth keys only as SHA-256, shown once', async () => {
    const consumer = await api.post(`${RG}/consumers`, { username: 'alice' });
    expect(consumer.status).toBe(201);
    const generated = await api.post(`${RG}/consumers/alice/key-auth`, {});
    expect(generated.status).toBe(201);
    expect(typeof generated.body.key).toBe('string');
    expect(generated.body.consumer).toEqual({ id: consumer.body.id });
    const given = await api.post(`${RG}/consumers/alice/key-auth`, { key: 'alice-secret-key' });
    expect(given.body.key).toBe('alice-secret-key');
    const list = await api.get(`${RG}/consumers/alice/key-auth`);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain('alice-secret-key');
    expect(list.body.data[0]).not.toHaveProperty('key');
    const rows = await query<{ key_hash: string }>(databaseUrl, 'SELECT key_hash FROM keyauth_credentials');
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    const dup = await api.post(`${RG}/consumers/alice/key-auth`, { key: 'alice-secret-key' });
    expect(dup.status).toBe(409);
    expect(dup.body.fields).toHaveProperty('key');

    const basic = await api.post(`${RG}/consumers/alice/basic-auth`, { username: 'alice', password: 'pa55word' });
    expect(basic.status).toBe(201);
    expect(basic.body).not.toHaveProperty('password');
    const hashes = await query<{ password_hash: string }>(databaseUrl, 'SELECT password_hash FROM basicauth_credentials');
    expect(hashes[0]?.password_hash).toMatch(/^scrypt\$/);
    const aclRes = await api.post(`${RG}/consumers/${consumer.body.id}/acls`, { group: 'admins' });
    expect(aclRes.status).toBe(201);
    expect((await api.delete(`${RG}/consumers/alice/acls/${aclRes.body.id}`)).status).toBe(204);
  });

  it('scopes plugins by service/route/consumer, once per scope, and merges config on PATCH', async () => {
    await api.post(`${RG}/services`, { name: 'limited', host: 'limited.internal' });
    const created = await api.post(`${RG}/plugins`, { name: 'rate-limiting', service: { name: 'limited' }, config: { minute: 5, policy: 'local' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ enabled: true, route: null, consumer: null, protocols: ['grpc', 'grpcs', 'http', 'https'] });
    const again = await api.post(`${RG}/services/limited/plugins`, { name: 'rate-limiting', config: { minute: 1 } });
    expect(again.status).toBe(409);
    const global = await api.post(`${RG}/plugins`, { name: 'rate-limiting', config: { second: 1 } });
    expect(global.status).toBe(201);
    const patched = await api.patch(`${RG}/plugins/${created.body.id}`, { config: { minute: 10 } });
    // PATCH merges into the stored config (Kong's defaults included) and validates the result.
    expect(patched.body.config).toMatchObject({ minute: 10, policy: 'local', second: null, limit_by: 'consumer' });
    const nested = await api.get(`${RG}/services/limited/plugins`);
    expect(nested.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
  });

  it('keeps each runtime group apart: another group path answers 404, a cross-group reference 400', async () => {
    const other = await api.post('/v1/runtime-groups', { name: 'staging' });
    expect(other.status).toBe(201);
    const svc = (await api.post(`${RG}/services`, { name: 'scoped', host: 'scoped.internal' })).body;
    expect((await api.get(`/v1/runtime-groups/staging/services/${svc.id}`)).status).toBe(404);
    expect((await api.get(`/v1/runtime-groups/staging/services/scoped`)).status).toBe(404);
    expect((await api.patch(`/v1/runtime-groups/staging/services/${svc.id}`, { retries: 1 })).status).toBe(404);
    expect((await api.delete(`/v1/runtime-groups/staging/services/${svc.id}`)).status).toBe(404);
    const cross = await api.post('/v1/runtime-groups/staging/routes', { paths: ['/x'], service: { id: svc.id } });
    expect(cross.status).toBe(400);
    expect(cross.body.fields).toHaveProperty('service');
    const sameName = await api.post('/v1/runtime-groups/staging/services', { name: 'scoped', host: 'other.internal' });
    expect(sameName.status).toBe(201);
  });

  it('takes a burst of concurrent writes to one group without a 5xx, each one bumping the config version', async () => {
    const before = await configVersion();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => api.post(`${RG}/consumers`, { username: `burst-${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201));
    expect(await configVersion()).toBe(before + 40);
  });

  it('paginates with size and an offset token', async () => {
    await api.post('/v1/runtime-groups', { name: 'paging' });
    for (let i = 0; i < 5; i++) expect((await api.post('/v1/runtime-groups/paging/consumers', { username: `user-${i}` })).status).toBe(201);
    const seen: string[] = [];
    let offset: string | null = null;
    let pages = 0;
    do {
      const path = `/v1/runtime-groups/paging/consumers?size=2${offset ? `&offset=${offset}` : ''}`;
      const res = await api.get(path);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c: { username: string }) => c.username));
      offset = res.body.offset as string | null;
      pages++;
    } while (offset);
    expect(pages).toBe(3);
    expect(seen).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
    expect((await api.get('/v1/runtime-groups/paging/consumers?size=0')).body.fields).toHaveProperty('size');
    expect((await api.get('/v1/runtime-groups/paging/consumers?size=1001')).status).toBe(400);
    expect((await api.get('/v1/runtime-groups/paging/consumers?offset=garbage')).body.fields).toHaveProperty('offset');
    expect((await api.get('/v1/runtime-groups/paging/consumers')).body.offset).toBeNull();
  });
});
