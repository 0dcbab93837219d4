import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { createDb } from '../../packages/control-plane/src/database/client';
import { buildGroupConfig } from '../../packages/control-plane/src/snapshot/build';

const RG = '/v1/runtime-groups/default';

describe('upstreams and targets (API and snapshot)', () => {
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

  it("creates an upstream with Kong's defaults, reads it by id and name, and refuses a duplicate name with 409", async () => {
    const res = await api.post(`${RG}/upstreams`, { name: 'orders.upstream' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'orders.upstream',
      algorithm: 'round-robin',
      hash_on: 'none',
      hash_fallback: 'none',
      hash_on_header: null,
      hash_on_cookie_path: '/',
      slots: 10000,
      host_header: null,
      use_srv_name: false,
      max_concurrent_requests_per_target: null,
      tags: [],
      healthchecks: {
        threshold: 0,
        active: {
          type: 'http',
          timeout: 1,
          concurrency: 10,
          http_path: '/',
          https_verify_certificate: true,
          healthy: { interval: 0, http_statuses: [200, 302], successes: 0 },
        },
        passive: { type: 'http', unhealthy: { http_statuses: [429, 500, 503], tcp_failures: 0, timeouts: 0, http_failures: 0 } },
      },
    });
    expect((await api.get(`${RG}/upstreams/orders.upstream`)).body.id).toBe(res.body.id);
    expect((await api.get(`${RG}/upstreams/${res.body.id}`)).body.name).toBe('orders.upstream');
    const dup = await api.post(`${RG}/upstreams`, { name: 'orders.upstream' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'unique_violation', fields: { name: expect.any(String) } });
  });

  it("refuses bad upstreams with 400 naming the field, in Kong's words", async () => {
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ name: '10.0.0.1' }, 'name', "Invalid name ('10.0.0.1'); no ip addresses allowed"],
      [{ name: 'a.internal:80' }, 'name', "Invalid name ('a.internal:80'); no port allowed"],
      [{ name: 'bad name' }, 'name', "Invalid name ('bad name'); must be a valid hostname"],
      [{ name: 'x.internal', algorithm: 'random' }, 'algorithm', /round-robin/],
      [{ name: 'x.internal', hash_on: 'header' }, 'hash_on_header', 'required field missing'],
      [{ name: 'x.internal', hash_on: 'cookie' }, 'hash_on_cookie', 'required field missing'],
      [{ name: 'x.internal', hash_on: 'ip', hash_fallback: 'ip' }, 'hash_fallback', /expected one of/],
      [{ name: 'x.internal', hash_fallback: 'ip' }, 'hash_fallback', 'expected one of: none'],
      [{ name: 'x.internal', slots: 5 }, 'slots', 'value should be between 10 and 65536'],
      [{ name: 'x.internal', healthchecks: { threshold: 101 } }, 'healthchecks.threshold', 'value should be between 0 and 100'],
      [{ name: 'x.internal', nope: 1 }, 'nope', /unknown|unrecognized/i],
      [{ name: 'x.internal', max_concurrent_requests_per_target: 0 }, 'max_concurrent_requests_per_target', 'value should be between 1 and 1000000'],
      [{ name: 'x.internal', max_concurrent_requests_per_target: 2.5 }, 'max_concurrent_requests_per_target', 'must be an integer'],
      [{ name: 'x.internal', max_concurrent_requests_per_target: '10' }, 'max_concurrent_requests_per_target', /number/i],
    ];
    for (const [body, field, message] of cases) {
      const res = await api.post(`${RG}/upstreams`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect({ body, message: res.body.fields?.[field] }).toEqual({ body, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    }
  });

  it('stores max_concurrent_requests_per_target (Gatehouse circuit breaker), PATCHes it and clears it with null', async () => {
    const res = await api.post(`${RG}/upstreams`, { name: 'limited.upstream', max_concurrent_requests_per_target: 5 });
    expect(res.status).toBe(201);
    expect(res.body.max_concurrent_requests_per_target).toBe(5);
    const patched = await api.patch(`${RG}/upstreams/limited.upstream`, { max_concurrent_requests_per_target: 1000000 });
    expect(patched.body.max_concurrent_requests_per_target).toBe(1000000);
    const cleared = await api.patch(`${RG}/upstreams/limited.upstream`, { max_concurrent_requests_per_target: null });
    expect(cleared.body.max_concurrent_requests_per_target).toBeNull();
    const bad = await api.patch(`${RG}/upstreams/limited.upstream`, { max_concurrent_requests_per_target: 1000001 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ max_concurrent_requests_per_target: 'value should be between 1 and 1000000' });
    expect((await api.delete(`${RG}/upstreams/limited.upstream`)).status).toBe(204);
  });

  it('turns hash_on into consistent-hashing and clears it for least-connections (Kong shorthands)', async () => {
    const hashed = await api.post(`${RG}/upstreams`, { name: 'hashed.upstream', hash_on: 'header', hash_on_header: 'x-user' });
    expect(hashed.body).toMatchObject({ algorithm: 'consistent-hashing', hash_on: 'header', hash_on_header: 'x-user' });
    const lc = await api.patch(`${RG}/upstreams/hashed.upstream`, { algorithm: 'least-connections' });
    expect(lc.status).toBe(200);
    expect(lc.body).toMatchObject({ algorithm: 'least-connections', hash_on: 'none' });
  });

  it('serves targets under their upstream: port 8000 by default, IPv6 in brackets, weight 0–65535, 409 on a duplicate', async () => {
    await api.post(`${RG}/upstreams`, { name: 'pool.upstream' });
    const base = `${RG}/upstreams/pool.upstream/targets`;
    const a = await api.post(base, { target: '10.0.0.1' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ target: '10.0.0.1:8000', weight: 100, tags: [] });
    const up = (await api.get(`${RG}/upstreams/pool.upstream`)).body;
    expect(a.body.upstream).toEqual({ id: up.id });
    expect((await api.post(base, { target: '[::1]:81', weight: 0 })).body).toMatchObject({ target: '[::1]:81', weight: 0 });
    expect((await api.post(base, { target: 'api.internal:9000', weight: 65535 })).status).toBe(201);
    const dup = await api.post(base, { target: '10.0.0.1:8000' });
    expect(dup.status).toBe(409);
    expect(dup.body.fields).toHaveProperty('target');
    for (const [body, field, message] of [
      [{ target: 'not a host' }, 'target', "Invalid target ('not a host'); not a valid hostname or ip address"],
      [{ target: '10.0.0.2', weight: 65536 }, 'weight', 'value should be between 0 and 65535'],
      [{ target: '10.0.0.2', weight: -1 }, 'weight', 'value should be between 0 and 65535'],
      [{}, 'target', expect.any(String)],
    ] as const) {
      const res = await api.post(base, body);
      expect({ body, status: res.status, message: res.body.fields?.[field] }).toEqual({ body, status: 400, message });
    }
    const list = await api.get(base);
    expect(list.body.data.map((t: { target: string }) => t.target).sort()).toEqual(['10.0.0.1:8000', '[::1]:81', 'api.internal:9000'].sort());
    const patched = await api.patch(`${base}/10.0.0.1:8000`, { weight: 5 });
    expect(patched.status).toBe(200);
    expect(patched.body.weight).toBe(5);
    expect((await api.get(`${base}/${a.body.id}`)).body.weight).toBe(5);
  });

  it('answers 404 for a missing upstream or target, and has no top-level targets path', async () => {
    expect((await api.get(`${RG}/upstreams/missing.upstream`)).status).toBe(404);
    expect((await api.get(`${RG}/upstreams/missing.upstream/targets`)).status).toBe(404);
    await api.post(`${RG}/upstreams`, { name: 'empty.upstream' });
    expect((await api.get(`${RG}/upstreams/empty.upstream/targets/10.9.9.9:8000`)).status).toBe(404);
    expect((await api.get(`${RG}/targets`)).status).toBe(404);
  });

  it('ships upstreams and targets in the snapshot, and deleting an upstream takes its targets along', async () => {
    await api.post(`${RG}/upstreams`, { name: 'shipped.upstream', algorithm: 'least-connections' });
    await api.post(`${RG}/upstreams/shipped.upstream/targets`, { target: '10.1.1.1:80', weight: 7 });
    const [group] = await query<{ id: string }>(databaseUrl, "SELECT id FROM runtime_groups WHERE name = 'default'");
    const db = createDb(databaseUrl);
    try {
      const built = await buildGroupConfig(db, group?.id ?? '');
      const shipped = built?.config.upstreams.find((u) => u.name === 'shipped.upstream');
      expect(shipped).toMatchObject({ algorithm: 'least-connections', slots: 10000 });
      expect(built?.config.targets.filter((t) => t.upstream.id === shipped?.id).map((t) => [t.target, t.weight])).toEqual([['10.1.1.1:80', 7]]);
      expect((await api.delete(`${RG}/upstreams/shipped.upstream`)).status).toBe(204);
      const after = await buildGroupConfig(db, group?.id ?? '');
      expect(after?.config.targets.some((t) => t.upstream.id === shipped?.id)).toBe(false);
    } finally {
      await db.$disconnect();
    }
  });
});
