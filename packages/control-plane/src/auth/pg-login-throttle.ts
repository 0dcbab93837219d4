import type { Db } from '../database/client';
import { Prisma } from '../generated/prisma/client';
import { retryAfterSeconds, type AllowedAttempt, type LoginAttempt, type LoginThrottle, type ThrottleLimits } from './login-throttle';

// Expired rows deleted per counted attempt. An attempt creates at most two rows, so deleting up
// to 16 stale ones each time keeps their number from growing, without a timer every CP process
// would have to run and stop; the index on updated_at keeps it a short index scan.
const SWEEP_BATCH = 16;

/**
 * The login throttle kept in PostgreSQL (`login_failures`), so every CP
 * process on one database counts the same attempts: N processes allow no
 * more attempts than one. A row holds the times of a key's counted attempts
 * inside the window (at most `maxFailures`): failures, and attempts whose
 * password is being checked. Times come from the database's clock, the one
 * clock all processes share, unless `clock` is given (tests move time with it).
 */
export class PgLoginThrottle implements LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly limits: ThrottleLimits,
    private readonly clock?: () => Date,
  ) {}

  async begin(keys: readonly string[]): Promise<LoginAttempt> {
    const distinct = [...new Set(keys)];
    // One statement checks and counts: ON CONFLICT locks each key's row and reads its latest
    // version, so attempts made at once by any number of processes are serialized per key and
    // each sees the ones before it. A key under the limit gets the attempt appended (a new key
    // gets a row) and is returned; a key at the limit is left as it is (still locked, so still
    // serialized) and not returned. Rows are locked in key order, so two attempts sharing keys
    // cannot deadlock.
    const counted = await this.db.$queryRaw<{ key: string; at: Date }[]>`
      WITH clock AS (SELECT ${this.now()} AS now)
      INSERT INTO login_failures AS f (key, failed_at, updated_at)
      SELECT k, ARRAY[clock.now], clock.now FROM clock, unnest(${distinct}::text[]) AS k ORDER BY k
      ON CONFLICT (key) DO UPDATE SET
        failed_at = ARRAY(
          SELECT t FROM unnest(f.failed_at) AS t
           WHERE t > EXCLUDED.updated_at - ${this.limits.windowMs}::float8 * interval '1 millisecond'
           ORDER BY t) || EXCLUDED.failed_at,
        updated_at = GREATEST(f.updated_at, EXCLUDED.updated_at)
      WHERE (SELECT count(*) FROM unnest(f.failed_at) AS t
              WHERE t > EXCLUDED.updated_at - ${this.limits.windowMs}::float8 * interval '1 millisecond') < ${this.limits.maxFailures}::int
      RETURNING f.key, (SELECT now FROM clock) AS at`;
    const at = counted[0]?.at;
    if (at !== undefined && counted.length === distinct.length) {
      await this.sweep();
      return { allowed: true, at };
    }
    // Refused by some key: give the others their attempt back, so a throttled address does not
    // use up the accounts it names (and the other way round).
    for (const row of counted) await this.release(row.key, { allowed: true, at: row.at });
    // At least 1: the blocking attempt may leave the window between the two statements.
    return { allowed: false, retryAfter: Math.max(1, await this.retryAfterSeconds(distinct)) };
  }

  async release(key: string, attempt: AllowedAttempt): Promise<void> {
    // Removes one occurrence of the attempt's time (another attempt may share the millisecond),
    // found in the row's latest version, the one the UPDATE locks.
    await this.db.$executeRaw`
      UPDATE login_failures AS f
         SET failed_at = f.failed_at[:array_position(f.failed_at, ${attempt.at}::timestamptz) - 1]
                      || f.failed_at[array_position(f.failed_at, ${attempt.at}::timestamptz) + 1:]
       WHERE f.key = ${key} AND array_position(f.failed_at, ${attempt.at}::timestamptz) IS NOT NULL`;
  }

  async retryAfterSeconds(keys: readonly string[]): Promise<number> {
    // One query for every key; the LEFT JOIN answers the clock even when no key has attempts.
    const rows = await this.db.$queryRaw<{ now: number; failed_at: number[] }[]>`
      WITH clock AS (SELECT ${this.now()} AS now)
      SELECT (extract(epoch FROM clock.now) * 1000)::float8 AS now,
             ARRAY(SELECT (extract(epoch FROM t) * 1000)::float8 FROM unnest(f.failed_at) AS t) AS failed_at
        FROM clock LEFT JOIN login_failures f ON f.key = ANY(${[...keys]}::text[])`;
    const now = (rows[0] as { now: number }).now;
    return retryAfterSeconds(
      rows.map((r) => r.failed_at),
      this.limits,
      now,
    );
  }

  async reset(key: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM login_failures WHERE key = ${key}`;
  }

  /**
   * Deletes up to SWEEP_BATCH rows whose last attempt left the window, oldest
   * first; rows another process holds are skipped, not waited for.
   */
  private async sweep(): Promise<void> {
    await this.db.$executeRaw`
      DELETE FROM login_failures WHERE key IN (
        SELECT key FROM login_failures
         WHERE updated_at <= ${this.now()} - ${this.limits.windowMs}::float8 * interval '1 millisecond'
         ORDER BY updated_at LIMIT ${SWEEP_BATCH}::int
           FOR UPDATE SKIP LOCKED)`;
  }

  /** "Now" as SQL: the injected clock, or the database's, to the millisecond the column keeps. */
  private now(): Prisma.Sql {
    const at = this.clock ? this.clock() : null;
    return Prisma.sql`date_trunc('milliseconds', COALESCE(${at}::timestamptz, statement_timestamp()))`;
  }
}
