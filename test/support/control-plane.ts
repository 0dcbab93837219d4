import { client, login, type Client } from './api';
import { createTestDatabase } from './database';
import { startControlPlane, type TestControlPlane } from './processes';

/**
 * A CP process (`url` is its admin API base, no `/v1`; `stop()` stops it) on
 * its own fresh test database, with the test admin logged in.
 */
export interface LoggedInControlPlane extends TestControlPlane {
  /** The test admin's client. */
  api: Client;
  /** The test admin's session token (the one `api` sends). */
  token: string;
  databaseUrl: string;
}

/**
 * What most API test files do in beforeAll: create a test database (named
 * `databasePrefix_…`), start a CP on it (free ports, a temp data dir, `env`
 * on top of the test defaults) and log in as the test admin. The data dir is
 * left in place, so a test may restart the CP on it.
 */
export async function startLoggedInControlPlane(
  opts: { databasePrefix?: string; env?: Record<string, string | undefined> } = {},
): Promise<LoggedInControlPlane> {
  const databaseUrl = await createTestDatabase(opts.databasePrefix);
  const cp = await startControlPlane({ databaseUrl, env: opts.env });
  try {
    const token = await login(cp.url);
    return { ...cp, api: client(cp.url, token), token, databaseUrl };
  } catch (err) {
    // A CP that started but refused the login would otherwise outlive the test file.
    await cp.stop();
    throw err;
  }
}
