import type { Db } from '../database/client';
import { Prisma } from '../generated/prisma/client';
import { retryAfterSeconds, type LoginThrottle, type ThrottleLimits } from './login-throttle';

// Expired rows deleted per recorded failure. A failure creates at most two rows, so deleting up
// to 16 stale ones each time keeps their number from growing, without a timer every CP process
// would have to run and stop; the index on updated_at keeps it a short index scan.
const SWEEP_BATCH = 16;

/**
 * The login throttle kept in PostgreSQL (`login_failures`), so every CP
 * process on one database counts the same failures: N processes allow no
 * more attempts than one. A row holds a key's last `maxFailures` failure
 * times inside the window. Times come from the database's clock, the one
 * clock all processes share, unless `clock` is given (tests move time with it).
 */
export class PgLoginThrottle implements LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly limits: ThrottleLimits,
    private readonly clock?: () => Date,
  ) {}

  async retryAfterSeconds(keys: readonly string[]): Promise<number> {
    // One query for every key; the LEFT JOIN answers the clock even when no key has failures.
    const rows = await this.db.$queryRaw<Array<{ now: number; failed_at: number[] }>>`
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

  async recordFailure(keys: readonly string[]): Promise<void> {
    // One statement appends to every key's row, dropping times outside the window and all but the
    // last maxFailures: ON CONFLICT locks the row and reads its latest version, so failures
    // recorded at once by several processes all count. Rows are locked in key order, so two
    // attempts sharing keys cannot deadlock.
    await this.db.$executeRaw`
      WITH clock AS (SELECT ${this.now()} AS now)
      INSERT INTO login_failures AS f (key, failed_at, updated_at)
      SELECT DISTINCT k, ARRAY[clock.now], clock.now FROM clock, unnest(${[...keys]}::text[]) AS k ORDER BY k
      ON CONFLICT (key) DO UPDATE SET
        failed_at = ARRAY(
          SELECT t FROM (
            SELECT t FROM unnest(f.failed_at || EXCLUDED.failed_at) AS t
             WHERE t > EXCLUDED.updated_at - ${this.limits.windowMs}::float8 * interval '1 millisecond'
             ORDER BY t DESC LIMIT ${this.limits.maxFailures}::int
          ) AS recent ORDER BY t),
        updated_at = GREATEST(f.updated_at, EXCLUDED.updated_at)`;
    await this.sweep();
  }

  async reset(key: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM login_failures WHERE key = ${key}`;
  }

  /**
   * Deletes up to SWEEP_BATCH rows whose last failure left the window, oldest
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
