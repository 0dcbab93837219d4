import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test run's PostgreSQL server (started by global-setup.ts). */
export function testServerUrl(): string {
  const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
  if (!url) throw new Error('GATEHOUSE_TEST_DATABASE_URL is not set: run tests through jest (global-setup starts PostgreSQL)');
  return url;
}

/** Creates a new, empty database on the test server and answers its URL. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one query against a database and closes the connection. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
