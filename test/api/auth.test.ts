import { createdPersonalAccessToken, currentUser, listPage, loginAnswer, personalAccessToken } from '@gatehouse/protocol';
import { call, login } from '../support/api';
import { createTestDatabase, query } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, type TestControlPlane } from '../support/processes';
import { expectShape } from './expect-shape';

describe('auth', () => {
  let cp: TestControlPlane;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('answers health without a token', async () => {
    const res = await call(cp.url, 'GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('answers 401 unauthorized on every other route without a valid token', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/runtime-groups'],
      ['POST', '/v1/runtime-groups'],
      ['GET', '/v1/runtime-groups/default/services'],
      ['GET', '/v1/service-hub/services'],
      ['GET', '/v1/personal-access-tokens'],
      ['GET', '/v1/no-such-route'],
    ] as const) {
      const res = await call(cp.url, method, path);
      expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 401, code: 'unauthorized' });
    }
    const forged = await call(cp.url, 'GET', '/v1/me', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
    const unknownPat = await call(cp.url, 'GET', '/v1/me', { token: 'gpat_unknown' });
    expect(unknownPat.status).toBe(401);
  });

  it('refuses a wrong password and a bad login body with clear errors', async () => {
    const wrong = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: TEST_ADMIN_EMAIL, password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('unauthorized');
    const unknown = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: 'who@example.test', password: 'nope-nope' } });
    expect(unknown.status).toBe(401);
    const missing = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: TEST_ADMIN_EMAIL } });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('password');
  });

  it('logs in, shows the user and organization, and logout revokes the token', async () => {
    const res = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: TEST_ADMIN_EMAIL.toUpperCase(), password: 'correct-horse-battery' } });
    expect(res.status).toBe(200);
    expectShape(loginAnswer, res.body);
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now());
    const token = res.body.token as string;
    const me = await call(cp.url, 'GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    expectShape(currentUser, me.body);
    expect(me.body).toMatchObject({ email: TEST_ADMIN_EMAIL, organization: { name: 'Gatehouse' } });
    const out = await call(cp.url, 'POST', '/v1/auth/logout', { token });
    expect(out.status).toBe(204);
    const after = await call(cp.url, 'GET', '/v1/me', { token });
    expect(after.status).toBe(401);
  });

  it('logs one http_request line per request with the full path and never the token', async () => {
    const token = await login(cp.url);
    await call(cp.url, 'GET', '/v1/me?x=1', { token });
    const logged = await cp.waitForEvent('http_request', 5000, (l) => l.path === '/v1/me' && l.status === 200);
    expect(logged).toMatchObject({ method: 'GET', path: '/v1/me' });
    expect(cp.lines.join('\n')).not.toContain(token);
  });

  it('issues personal access tokens that work, are stored only as hashes, and stop working when deleted', async () => {
    const token = await login(cp.url);
    const created = await call(cp.url, 'POST', '/v1/personal-access-tokens', { token, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    expectShape(createdPersonalAccessToken, created.body);
    const pat = created.body.token as string;
    expect(pat).toMatch(/^gpat_[A-Za-z0-9_-]{40,}$/);

    const me = await call(cp.url, 'GET', '/v1/me', { token: pat });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(TEST_ADMIN_EMAIL);

    const listed = await call(cp.url, 'GET', '/v1/personal-access-tokens', { token: pat });
    expect(listed.status).toBe(200);
    expectShape(listPage(personalAccessToken), listed.body);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, name: 'ci' })]);
    expect(JSON.stringify(listed.body)).not.toContain(pat);

    const rows = await query<{ token_hash: string }>(databaseUrl, 'SELECT token_hash FROM personal_access_tokens');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(pat.slice(5));

    const deleted = await call(cp.url, 'DELETE', `/v1/personal-access-tokens/${created.body.id}`, { token });
    expect(deleted.status).toBe(204);
    expect((await call(cp.url, 'GET', '/v1/me', { token: pat })).status).toBe(401);
  });

  it('keeps the admin password only as an scrypt hash', async () => {
    const rows = await query<{ password_hash: string }>(databaseUrl, 'SELECT password_hash FROM users');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
  });
});
