import type { RequestHandler } from 'express';
import type { Db } from '../database/client';

const DATABASE_CHECK_TIMEOUT_MS = 2000;

/**
 * `GET /v1/health`: 200 `{"status":"ok","database":"ok"}` when a query
 * succeeds within two seconds, otherwise 503 with `database: "unavailable"`.
 * Needs no token, so load balancers can call it.
 */
export function healthHandler(db: Db): RequestHandler {
  return async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database check timed out')), DATABASE_CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  };
}
