import { SignJWT } from 'jose';
import { call, login } from '../support/api';
import { createTestDatabase, query } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { loginFrom } from './login-from';

const TTL_SECONDS = 120;

/**
 * Login throttling (per address and per account, Kong-style 429 with
 * Retry-After), session expiry and revocation, and tokens the CP did not
 * sign, against a real CP process with the default throttle settings.
 */
describe('authentication hardening', () => {
  let cp: TestControlPlane;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('authsec');
    cp = await startControlPlane({ databaseUrl, env: { GATEHOUSE_SESSION_TTL: String(TTL_SECONDS) } });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('throttles one address after 10 failed logins (for any account), with 429 too_many_requests and Retry-After; other addresses are unaffected', async () => {
    for (let i = 0; i < 10; i++) expect((await loginFrom(cp, '127.0.0.4', `nobody${i}@example.test`, 'wrong-password')).status).toBe(401);
    const blocked = await loginFrom(cp, '127.0.0.4', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('too_many_requests');
    // 15 minutes, less the moments the failures took.
    expect(Number(blocked.retryAfter)).toBeGreaterThan(850);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(900);
    expect((await loginFrom(cp, '127.0.0.5', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it('throttles one account after 10 failed logins from any addresses, even with the right password, and leaves other accounts alone', async () => {
    const victim = 'victim@example.test';
    await query(
      databaseUrl,
      'INSERT INTO users (id, organization_id, email, password_hash) SELECT gen_random_uuid(), organization_id, $1, password_hash FROM users WHERE email = $2',
      [victim, TEST_ADMIN_EMAIL],
    );
    for (let i = 0; i < 10; i++) expect((await loginFrom(cp, `127.0.1.${i + 1}`, victim, `guess-${i}`)).status).toBe(401);
    const blocked = await loginFrom(cp, '127.0.2.1', victim, TEST_ADMIN_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/too many failed logins/);
    expect((await loginFrom(cp, '127.0.2.1', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it('issues sessions that expire after GATEHOUSE_SESSION_TTL: the answer and the JWT say so, and an expired session is refused', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD } });
    expect(res.status).toBe(200);
    const expiresAt = Math.floor(Date.parse(res.body.expires_at) / 1000);
    expect(expiresAt - before).toBeGreaterThanOrEqual(TTL_SECONDS - 1);
    expect(expiresAt - before).toBeLessThanOrEqual(TTL_SECONDS + 1);
    const claims = JSON.parse(Buffer.from((res.body.token as string).split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.exp).toBe(expiresAt);
    expect((await call(cp.url, 'GET', '/v1/me', { token: res.body.token })).status).toBe(200);
    // Time passes: the session row's expiry is what the CP checks on every request.
    await query(databaseUrl, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [claims.jti]);
    const expired = await call(cp.url, 'GET', '/v1/me', { token: res.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('unauthorized');
  });

  it('revokes a session at logout and keeps the same user’s other sessions working', async () => {
    const first = await login(cp.url);
    const second = await login(cp.url);
    expect((await call(cp.url, 'POST', '/v1/auth/logout', { token: first })).status).toBe(204);
    expect((await call(cp.url, 'GET', '/v1/me', { token: first })).status).toBe(401);
    expect((await call(cp.url, 'POST', '/v1/auth/logout', { token: first })).status).toBe(401);
    expect((await call(cp.url, 'GET', '/v1/me', { token: second })).status).toBe(200);
  });

  it('refuses a token with valid claims signed by any other key, and an expired personal access token', async () => {
    const real = await login(cp.url);
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString('utf8'));
    const forged = await new SignJWT({ org: claims.org })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setJti(claims.jti)
      .setIssuer('gatehouse')
      .setAudience('gatehouse-api')
      .setExpirationTime(claims.exp)
      .sign(new TextEncoder().encode('test-secret-key-0123456789abcdef'));
    expect((await call(cp.url, 'GET', '/v1/me', { token: forged })).status).toBe(401);

    const pat = await call(cp.url, 'POST', '/v1/personal-access-tokens', { token: real, body: { name: 'short', expires_in_days: 1 } });
    expect((await call(cp.url, 'GET', '/v1/me', { token: pat.body.token })).status).toBe(200);
    await query(databaseUrl, "UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [pat.body.id]);
    expect((await call(cp.url, 'GET', '/v1/me', { token: pat.body.token })).status).toBe(401);
  });
});
