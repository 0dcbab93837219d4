import type { Db } from '../database/client';
import type { Tx } from './entity';

// Writes to one runtime group queue on its row (touchConfig); under bursts the defaults (2 s / 5 s) are too tight.
const MAX_WAIT_MS = 10_000;
const TIMEOUT_MS = 20_000;

/**
 * Runs an API write in one interactive transaction, with waits long enough
 * for writes that queue behind each other on a runtime group's row. A
 * transaction that still cannot start or finish answers 503 (see
 * http/database-errors.ts), never a half-done write.
 */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { maxWait: MAX_WAIT_MS, timeout: TIMEOUT_MS });
}
