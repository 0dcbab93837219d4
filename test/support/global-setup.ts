import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres } from '../../packages/control-plane/src/database/embedded';

/**
 * Starts one real PostgreSQL server (embedded) for the whole test run; each
 * test file creates its own database on it (see database.ts). An external
 * server can be used instead with GATEHOUSE_TEST_DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.GATEHOUSE_TEST_DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-pg-'));
  const pg = await startEmbeddedPostgres(dir, pino({ level: 'silent' }));
  process.env.GATEHOUSE_TEST_DATABASE_URL = pg.url;
  (globalThis as Record<string, unknown>).__gatehousePg = { pg, dir };
}
