import pino from 'pino';
import { loginThrottleKeys } from '../../packages/control-plane/src/auth/login-throttle';
import { PgLoginThrottle } from '../../packages/control-plane/src/auth/pg-login-throttle';
import { createDb, type Db } from '../../packages/control-plane/src/database/client';
import { migrate } from '../../packages/control-plane/src/database/migrate';
import { createTestDatabase, query } from '../support/database';

/**
 * The PostgreSQL login throttle against a real database, with two stores on
 * two connection pools standing for two CP processes: each attempt is counted
 * (or refused) in one atomic step before its password would be checked. Time
 * moves by an injected clock, never by sleeping.
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

  it('shares counts between two CPs: attempts on either throttle both, with the same Retry-After, until the window passes', async () => {
    const a = new PgLoginThrottle(dbA, limits, clock);
    const b = new PgLoginThrottle(dbB, limits, clock);
    const keys = loginThrottleKeys('10.0.0.1', 'shared@example.test');
    for (const store of [a, b, a]) {
      expect(await a.retryAfterSeconds(keys)).toBe(0);
      expect(await b.retryAfterSeconds(keys)).toBe(0);
      expect((await store.begin(keys)).allowed).toBe(true);
      now += 1000;
    }
    // Attempts at 0 s, 1 s, 2 s, one of them on B; now 3 s: the first leaves the window at 60 s.
    expect(await a.retryAfterSeconds(keys)).toBe(57);
    expect(await b.begin(keys)).toEqual({ allowed: false, retryAfter: 57 });
    now += 56_500;
    expect(await b.retryAfterSeconds(keys)).toBe(1);
    expect(await a.begin(keys)).toEqual({ allowed: false, retryAfter: 1 });
    now += 500;
    expect(await a.retryAfterSeconds(keys)).toBe(0);
    expect((await b.begin(keys)).allowed).toBe(true);
  });

  it('keeps only the attempts inside the window, gives one back on release, and forgets an account on reset but not its address', async () => {
    const a = new PgLoginThrottle(dbA, limits, clock);
    const b = new PgLoginThrottle(dbB, limits, clock);
    const [address, account] = loginThrottleKeys('10.0.0.2', 'kept@example.test');
    for (let i = 0; i < 5; i++) {
      await (i % 2 ? b : a).begin([address, account]);
      now += 1000;
    }
    // Two of the five were refused: nothing of them stays counted.
    expect(await failuresOf(account)).toBe(3);
    now += 60_000;
    const fresh = await a.begin([address, account]);
    expect(await failuresOf(account)).toBe(1);
    if (!fresh.allowed) throw new Error('expected the attempt to be counted');
    await b.release(address, fresh);
    expect(await failuresOf(address)).toBe(0);
    expect(await failuresOf(account)).toBe(1);

    await b.begin([address, account]);
    await b.begin([address, account]);
    expect(await a.retryAfterSeconds([account])).toBe(60);
    await a.reset(account);
    expect(await failuresOf(account)).toBeNull();
    expect(await b.retryAfterSeconds([account])).toBe(0);
    expect(await b.retryAfterSeconds([address])).toBe(0);
    await b.begin([address, 'account:other@example.test']);
    expect(await b.retryAfterSeconds([address])).toBeGreaterThan(0);
  });

  it('refused by one key, counts nothing against the other: a throttled address does not use up the accounts it names', async () => {
    const a = new PgLoginThrottle(dbA, limits, clock);
    const address = 'address:10.0.0.3';
    for (let i = 0; i < 3; i++) expect((await a.begin([address, `account:spray${i}@example.test`])).allowed).toBe(true);
    const refused = await a.begin([address, 'account:untouched@example.test']);
    expect(refused.allowed).toBe(false);
    expect(await failuresOf('account:untouched@example.test')).toBe(0);
  });

  it('lets exactly maxFailures of many attempts made at once by two CPs on the same keys through, without deadlocks', async () => {
    // The database's own clock here, as in production.
    const a = new PgLoginThrottle(dbA, { maxFailures: 25, windowMs: 60_000 });
    const b = new PgLoginThrottle(dbB, { maxFailures: 25, windowMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).begin(loginThrottleKeys(`10.1.0.${i % 4}`, 'BURST@example.test'))));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    for (const r of results) if (!r.allowed) expect(r.retryAfter).toBeGreaterThan(0);
    expect(await failuresOf('account:burst@example.test')).toBe(25);
    let perAddress = 0;
    for (let i = 0; i < 4; i++) perAddress += (await failuresOf(`address:10.1.0.${i}`)) ?? 0;
    expect(perAddress).toBe(25);
  });

  it('deletes rows whose last attempt left the window as later attempts are counted, and keeps the others', async () => {
    await query(url, 'DELETE FROM login_failures');
    const a = new PgLoginThrottle(dbA, limits, clock);
    for (let i = 0; i < 40; i++) await a.begin([`account:stale${i}@example.test`]);
    now += 30_000;
    await a.begin(['account:recent@example.test']);
    now += 30_000;
    // The 40 stale rows are exactly one window old now; a few more attempts sweep them all.
    for (let i = 0; i < 3; i++) await a.begin([`address:10.2.0.${i}`]);
    const left = await query<{ key: string }>(url, 'SELECT key FROM login_failures ORDER BY key');
    expect(left.map((r) => r.key)).toEqual(['account:recent@example.test', 'address:10.2.0.0', 'address:10.2.0.1', 'address:10.2.0.2']);
  });
});
