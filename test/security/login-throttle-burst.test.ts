import { createTestDatabase, query } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { loginFrom, type LoginResult } from './login-from';

// The default limit (GATEHOUSE_LOGIN_MAX_FAILURES).
const LIMIT = 10;

/** How many answers of a burst had each status. */
function tally(results: readonly LoginResult[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/**
 * Parallel bursts of logins against real CP processes: each attempt is
 * counted before its password is checked, in one atomic step with the check,
 * so however many arrive at once no more than the limit reach a password
 * check (docs/SECURITY.md, "Authentication and secrets").
 */
describe('login throttling under parallel bursts', () => {
  let cp1: TestControlPlane;
  let cp2: TestControlPlane;
  let databaseUrl: string;
  const started: TestControlPlane[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('throttleburst');
    // One after the other: two first starts on one new database would contend in bootstrap.
    cp1 = await startControlPlane({ databaseUrl });
    started.push(cp1);
    cp2 = await startControlPlane({ databaseUrl });
    started.push(cp2);
  });
  afterAll(async () => {
    await Promise.all(started.map((cp) => cp.stop()));
  });

  it('answers 401 to at most the limit of 200 parallel wrong-password logins from one address, and 429 with Retry-After to the rest', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => loginFrom(cp1, '127.0.6.1', `nobody${i}@example.test`, 'wrong-password')));
    expect(tally(results)).toEqual({ 401: LIMIT, 429: 200 - LIMIT });
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.body).toMatchObject({ code: 'too_many_requests' });
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(900);
    }
    // The address is throttled afterwards too, even with the right password; another address is not.
    expect((await loginFrom(cp1, '127.0.6.1', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(429);
    expect((await loginFrom(cp1, '127.0.6.2', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it('does not log in the right password sent 61st in a parallel burst of 100 guesses for one account', async () => {
    const victim = 'burst-victim@example.test';
    await query(
      databaseUrl,
      'INSERT INTO users (id, organization_id, email, password_hash) SELECT gen_random_uuid(), organization_id, $1, password_hash FROM users WHERE email = $2',
      [victim, TEST_ADMIN_EMAIL],
    );
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => loginFrom(cp1, '127.0.7.1', victim, i === 60 ? TEST_ADMIN_PASSWORD : `guess-${i}`)),
    );
    expect(results[60]?.status).toBe(429);
    expect(tally(results)).toEqual({ 401: LIMIT, 429: 100 - LIMIT });
    // The account stays throttled from anywhere; other accounts are not.
    expect((await loginFrom(cp1, '127.0.7.2', victim, TEST_ADMIN_PASSWORD)).status).toBe(429);
    expect((await loginFrom(cp1, '127.0.7.2', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it('lets no more than the limit through when a burst from one address is split between two CP processes', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => loginFrom(i % 2 ? cp2 : cp1, '127.0.8.1', `split${i}@example.test`, 'wrong-password')),
    );
    expect(tally(results)).toEqual({ 401: LIMIT, 429: 200 - LIMIT });
  });

  it('does not count parallel successful logins from one address against it', async () => {
    const results = await Promise.all(Array.from({ length: LIMIT }, () => loginFrom(cp2, '127.0.9.1', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)));
    expect(tally(results)).toEqual({ 200: LIMIT });
    const later = await Promise.all(Array.from({ length: LIMIT }, () => loginFrom(cp1, '127.0.9.1', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)));
    expect(tally(later)).toEqual({ 200: LIMIT });
  });
});
