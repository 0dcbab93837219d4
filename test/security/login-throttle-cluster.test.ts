import { createTestDatabase, query } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { loginFrom } from './login-from';

const MAX_FAILURES = 4;
const WINDOW_SECONDS = 600;

/**
 * Two CP processes on one database share the login throttle: failures on
 * one count on the other, so two CPs allow no more guesses than one.
 */
describe('login throttling across two CP processes', () => {
  let cp1: TestControlPlane;
  let cp2: TestControlPlane;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('throttlecp');
    const env = { GATEHOUSE_LOGIN_MAX_FAILURES: String(MAX_FAILURES), GATEHOUSE_LOGIN_FAILURE_WINDOW: String(WINDOW_SECONDS) };
    [cp1, cp2] = await Promise.all([startControlPlane({ databaseUrl, env }), startControlPlane({ databaseUrl, env })]);
  });
  afterAll(async () => {
    await Promise.all([cp1?.stop(), cp2?.stop()]);
  });

  it('throttles an address on one CP after its failures on the other, and leaves other addresses alone', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expect((await loginFrom(cp2, '127.0.3.1', `nobody${i}@example.test`, 'wrong-password')).status).toBe(401);
    const blocked = await loginFrom(cp1, '127.0.3.1', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('too_many_requests');
    expect(Number(blocked.retryAfter)).toBeGreaterThan(WINDOW_SECONDS - 60);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect((await loginFrom(cp1, '127.0.3.2', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it('resets an account on every CP when it logs in on one', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < MAX_FAILURES; i++) expect((await loginFrom(cp1, `127.0.5.${round * 10 + i}`, TEST_ADMIN_EMAIL, 'wrong-password')).status).toBe(401);
      // Without the reset on cp2 the first round's failures would still count on cp1 in the second.
      expect((await loginFrom(round ? cp1 : cp2, '127.0.5.100', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
    }
  });

  it('throttles an account on both CPs when its failures were split between them, even with the right password', async () => {
    const victim = 'victim@example.test';
    await query(
      databaseUrl,
      'INSERT INTO users (id, organization_id, email, password_hash) SELECT gen_random_uuid(), organization_id, $1, password_hash FROM users WHERE email = $2',
      [victim, TEST_ADMIN_EMAIL],
    );
    for (let i = 0; i < MAX_FAILURES; i++) {
      const cp = i % 2 ? cp2 : cp1;
      expect((await loginFrom(cp, `127.0.4.${i + 1}`, victim, `guess-${i}`)).status).toBe(401);
    }
    for (const cp of [cp1, cp2]) {
      const blocked = await loginFrom(cp, '127.0.4.100', victim, TEST_ADMIN_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    }
    expect((await loginFrom(cp2, '127.0.4.100', TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  });
});
