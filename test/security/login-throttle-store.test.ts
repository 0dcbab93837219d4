import pino from 'pino';
import { loginThrottleKeys } from '../../packages/control-plane/src/auth/login-throttle';
import { PgLoginThrottle } from '../../packages/control-plane/src/auth/pg-login-throttle';
import { createDb, type Db } from '../../packages/control-plane/src/database/client';
import { migrate } from '../../packages/control-plane/src/database/migrate';
import { createTestDatabase, query } from '../support/database';

/**
 * The PostgreSQL login throttle against a real database, with two stores on
 * two connection pools standing for two CP processes. Time moves by an
 * injected clock, never by sleeping.
 */
describe('login throttle in PostgreSQL', () => {
  let url: string;
  let dbA: Db;
  let dbB: Db;
  let now = Date.parse('2026-11-22T10:00:00.000Z');
  const clock = (): Date => new Date(now);
  const limits = { maxFailures: 3, windowMs: 60_000 };
  const failuresOf = async (key: string): Promise<number | null> =>
    (await query<{ n: number | null }>(url, 'SELECT cardinality(failed_at) AS n FROM login_failures WHERE key = $1', [key]))[0]?.n ?? null;

  beforeAll(async () => {
    url = await createTestDatabase('throttle');
    await migrate(url, pino({ level: 'silent' }));
    dbA = createDb(url);
    dbB = createDb(url);
  });
  afterAll(async () => {
    await Promise.all([dbA?.$disconnect(), dbB?.$disconnect()]);
  });

  it('shares counts between two CPs: failures on either throttle both, with the same Retry-After, until the window passes', async () => {
    const a = new PgLoginThrottle(dbA, limits, clock);
    const b = new PgLoginThrottle(dbB, limits, clock);
    const keys = loginThrottleKeys('10.0.0.1', 'shared@example.test');
    for (const store of [a, b, a]) {
      expect(await a.retryAfterSeconds(keys)).toBe(0);
      expect(await b.retryAfterSeconds(keys)).toBe(0);
      await store.recordFailure(keys);
      now += 1000;
    }
    // Failures at 0 s, 1 s, 2 s, one of them on B; now 3 s: the first leaves the window at 60 s.
    expect(await a.retryAfterSeconds(keys)).toBe(57);
    expect(await b.retryAfterSeconds(keys)).toBe(57);
    now += 56_500;
    expect(await b.retryAfterSeconds(keys)).toBe(1);
    now += 500;
    expect(await a.retryAfterSeconds(keys)).toBe(0);
    expect(await b.retryAfterSeconds(keys)).toBe(0);
  });

  it('keeps only the last maxFailures times inside the window, and forgets an account on reset but not its address', async () => {
    const a = new PgLoginThrottle(dbA, limits, clock);
    const b = new PgLoginThrottle(dbB, limits, clock);
    const [address, account] = loginThrottleKeys('10.0.0.2', 'kept@example.test');
    for (let i = 0; i < 5; i++) {
      await (i % 2 ? b : a).recordFailure([address, account]);
      now += 1000;
    }
    expect(await failuresOf(account)).toBe(3);
    now += 60_000;
    await a.recordFailure([address, account]);
    expect(await failuresOf(account)).toBe(1);

    await b.recordFailure([address, account]);
    await b.recordFailure([address, account]);
    expect(await a.retryAfterSeconds([account])).toBe(60);
    await a.reset(account);
    expect(await failuresOf(account)).toBeNull();
    expect(await b.retryAfterSeconds([account])).toBe(0);
    expect(await b.retryAfterSeconds([address])).toBeGreaterThan(0);
  });

  it('counts every one of many failures recorded at once by two CPs on the same keys, without deadlocks', async () => {
    // The database's own clock here, as in production.
    const a = new PgLoginThrottle(dbA, { maxFailures: 100, windowMs: 60_000 });
    const b = new PgLoginThrottle(dbB, { maxFailures: 100, windowMs: 60_000 });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).recordFailure(loginThrottleKeys(`10.1.0.${i % 4}`, 'BURST@example.test'))),
    );
    expect(await failuresOf('account:burst@example.test')).toBe(40);
    for (let i = 0; i < 4; i++) expect(await failuresOf(`address:10.1.0.${i}`)).toBe(10);
  });

  it('deletes rows whose last failure left the window as later failures are recorded, and keeps the others', async () => {
    await query(url, 'DELETE FROM login_failures');
    const a = new PgLoginThrottle(dbA, limits, clock);
    for (let i = 0; i < 40; i++) await a.recordFailure([`account:stale${i}@example.test`]);
    now += 30_000;
    await a.recordFailure(['account:recent@example.test']);
    now += 30_000;
    // The 40 stale rows are exactly one window old now; a few more failures sweep them all.
    for (let i = 0; i < 3; i++) await a.recordFailure([`address:10.2.0.${i}`]);
    const left = await query<{ key: string }>(url, 'SELECT key FROM login_failures ORDER BY key');
    expect(left.map((r) => r.key)).toEqual(['account:recent@example.test', 'address:10.2.0.0', 'address:10.2.0.1', 'address:10.2.0.2']);
  });
});
