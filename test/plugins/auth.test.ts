import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '@gatehouse/protocol/node';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

const KEY = 'alice-secret-key-0123456789';

/** key-auth, basic-auth and acl through a real DP. */
describe('authentication plugins', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let alice: string;
  let guest: string;
  let aliceKeyId: string;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'hwservice', url: echo.url });
    alice = b.consumer({ username: 'alice', custom_id: 'alice-custom' }).id;
    const bob = b.consumer({ username: 'bob' });
    guest = b.consumer({ username: 'guest' }).id;
    aliceKeyId = b.keyAuth(alice, KEY).id;
    b.keyAuth(bob, 'bob-key');
    b.basicAuth(alice, 'alice', await hashPassword('open sesame'));
    b.acl(alice, 'admins');
    b.acl(alice, 'staff');
    b.acl(bob, 'interns');

    const keyed = b.route({ name: 'keyed', service: svc, paths: ['/keyed'] });
    b.plugin('key-auth', { route: keyed });
    const hidden = b.route({ name: 'hidden', service: svc, paths: ['/hidden'] });
    b.plugin('key-auth', { route: hidden, config: { key_names: ['x-api-key'], hide_credentials: true } });
    const headerOnly = b.route({ name: 'header-only', service: svc, paths: ['/header-only'] });
    b.plugin('key-auth', { route: headerOnly, config: { key_in_query: false } });
    const anon = b.route({ name: 'anon', service: svc, paths: ['/anon'] });
    b.plugin('key-auth', { route: anon, config: { anonymous: 'guest' } });
    const inBody = b.route({ name: 'in-body', service: svc, paths: ['/in-body'] });
    b.plugin('key-auth', { route: inBody, config: { key_in_body: true, hide_credentials: true } });
    const preflight = b.route({ name: 'preflight', service: svc, paths: ['/preflight'] });
    b.plugin('key-auth', { route: preflight, config: { run_on_preflight: false } });

    const basic = b.route({ name: 'basic', service: svc, paths: ['/basic'] });
    b.plugin('basic-auth', { route: basic, config: { hide_credentials: true } });

    const allow = b.route({ name: 'acl-allow', service: svc, paths: ['/acl-allow'] });
    b.plugin('key-auth', { route: allow });
    b.plugin('acl', { route: allow, config: { allow: ['admins'] } });
    const deny = b.route({ name: 'acl-deny', service: svc, paths: ['/acl-deny'] });
    b.plugin('key-auth', { route: deny });
    b.plugin('acl', { route: deny, config: { deny: ['interns'], hide_groups_header: true } });
    const aclOnly = b.route({ name: 'acl-only', service: svc, paths: ['/acl-only'] });
    b.plugin('acl', { route: aclOnly, config: { allow: ['admins'] } });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  describe('key-auth', () => {
    it('answers 401 "No API key found in request" without a key, with a Key challenge', async () => {
      const a = await call(dp.proxy, '/keyed');
      expect(a.status).toBe(401);
      expect(a.json).toEqual({ message: 'No API key found in request' });
      expect(a.headers.get('www-authenticate')).toBe('Key');
    });

    it('answers 401 "Unauthorized" for a wrong key', async () => {
      const a = await call(dp.proxy, '/keyed', { headers: { apikey: 'wrong' } });
      expect(a.status).toBe(401);
      expect(a.json).toEqual({ message: 'Unauthorized' });
    });

    it('lets the right key through (header or query) and tells the upstream who the consumer is', async () => {
      for (const a of [await call(dp.proxy, '/keyed', { headers: { apikey: KEY } }), await call(dp.proxy, `/keyed?apikey=${KEY}`)]) {
        expect(a.status).toBe(200);
        expect(a.json.headers).toMatchObject({
          'x-consumer-username': 'alice',
          'x-consumer-id': alice,
          'x-consumer-custom-id': 'alice-custom',
          'x-credential-identifier': aliceKeyId,
        });
        expect(a.json.headers!['x-anonymous-consumer']).toBeUndefined();
      }
    });

    it('does not let a client claim a consumer through its own headers', async () => {
      const a = await call(dp.proxy, '/keyed', { headers: { apikey: 'bob-key', 'x-consumer-username': 'alice', 'x-credential-identifier': 'forged' } });
      expect(a.json.headers!['x-consumer-username']).toBe('bob');
      expect(a.json.headers!['x-credential-identifier']).not.toBe('forged');
    });

    it('removes the key before the upstream with hide_credentials (header, query, body)', async () => {
      const h = await call(dp.proxy, '/hidden?keep=1', { headers: { 'X-API-Key': KEY } });
      expect(h.status).toBe(200);
      expect(h.json.headers!['x-api-key']).toBeUndefined();
      const q = await call(dp.proxy, `/hidden?x-api-key=${KEY}&keep=1`);
      expect(q.status).toBe(200);
      expect(q.json.query).toEqual({ keep: '1' });
      const body = await call(dp.proxy, '/in-body', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apikey: KEY, other: 1 }),
      });
      expect(body.status).toBe(200);
      expect(JSON.parse(body.json.body!)).toEqual({ other: 1 });
    });

    it('ignores the query with key_in_query false', async () => {
      expect((await call(dp.proxy, `/header-only?apikey=${KEY}`)).status).toBe(401);
      expect((await call(dp.proxy, '/header-only', { headers: { apikey: KEY } })).status).toBe(200);
    });

    it('falls back to the anonymous consumer', async () => {
      const a = await call(dp.proxy, '/anon');
      expect(a.status).toBe(200);
      expect(a.json.headers).toMatchObject({ 'x-consumer-username': 'guest', 'x-consumer-id': guest, 'x-anonymous-consumer': 'true' });
      const known = await call(dp.proxy, '/anon', { headers: { apikey: KEY } });
      expect(known.json.headers!['x-consumer-username']).toBe('alice');
    });

    it('skips OPTIONS requests with run_on_preflight false', async () => {
      expect((await call(dp.proxy, '/preflight', { method: 'OPTIONS' })).status).toBe(200);
      expect((await call(dp.proxy, '/preflight')).status).toBe(401);
    });

    it('holds no plaintext key in the config the DP stores', () => {
      const cached = fs.readFileSync(path.join(dp.dir, 'config.json'), 'utf8');
      expect(cached).not.toContain(KEY);
      expect(cached).toContain('key_hash');
    });
  });

  describe('basic-auth', () => {
    const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

    it('challenges a request without credentials', async () => {
      const a = await call(dp.proxy, '/basic');
      expect(a.status).toBe(401);
      expect(a.json).toEqual({ message: 'Unauthorized' });
      expect(a.headers.get('www-authenticate')).toBe('Basic realm="service"');
    });

    it('refuses a wrong password or user', async () => {
      expect((await call(dp.proxy, '/basic', { headers: { authorization: basic('alice', 'nope') } })).status).toBe(401);
      expect((await call(dp.proxy, '/basic', { headers: { authorization: basic('mallory', 'open sesame') } })).status).toBe(401);
    });

    it('authenticates by the scrypt hash and hides the credentials', async () => {
      for (let i = 0; i < 2; i++) {
        const a = await call(dp.proxy, '/basic', { headers: { authorization: basic('alice', 'open sesame') } });
        expect(a.status).toBe(200);
        expect(a.json.headers!['x-consumer-username']).toBe('alice');
        expect(a.json.headers!.authorization).toBeUndefined();
      }
    });
  });

  describe('acl', () => {
    it('lets allowed groups through with X-Consumer-Groups, refuses others with 403', async () => {
      const ok = await call(dp.proxy, '/acl-allow', { headers: { apikey: KEY } });
      expect(ok.status).toBe(200);
      expect(ok.json.headers!['x-consumer-groups']).toBe('admins, staff');
      const no = await call(dp.proxy, '/acl-allow', { headers: { apikey: 'bob-key' } });
      expect(no.status).toBe(403);
      expect(no.json).toEqual({ message: 'You cannot consume this service' });
    });

    it('refuses denied groups and hides the groups header when asked', async () => {
      expect((await call(dp.proxy, '/acl-deny', { headers: { apikey: 'bob-key' } })).status).toBe(403);
      const ok = await call(dp.proxy, '/acl-deny', { headers: { apikey: KEY } });
      expect(ok.status).toBe(200);
      expect(ok.json.headers!['x-consumer-groups']).toBeUndefined();
    });

    it('answers 401 when no authentication plugin identified a consumer', async () => {
      const a = await call(dp.proxy, '/acl-only');
      expect(a.status).toBe(401);
      expect(a.json).toEqual({ message: 'Unauthorized' });
    });
  });
});
