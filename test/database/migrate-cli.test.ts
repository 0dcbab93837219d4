import { createTestDatabase, query } from '../support/database';
import { startNode } from '../support/processes';

describe('npm run migrate', () => {
  it('applies the migrations to DATABASE_URL and records them, and is a no-op the second time', async () => {
    const databaseUrl = await createTestDatabase();
    const first = startNode('packages/control-plane/dist/migrate-cli.js', { DATABASE_URL: databaseUrl });
    const done = await first.waitForEvent('migrate_done');
    expect(done.applied).toBeGreaterThan(0);
    const rows = await query<{ migration_name: string }>(databaseUrl, 'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
    expect(rows[0]?.migration_name).toBe('20261121000000_init');
    const second = startNode('packages/control-plane/dist/migrate-cli.js', { DATABASE_URL: databaseUrl });
    expect((await second.waitForEvent('migrate_done')).applied).toBe(0);
  });

  it('says what to do when DATABASE_URL is missing', async () => {
    const proc = startNode('packages/control-plane/dist/migrate-cli.js', { DATABASE_URL: '' });
    await new Promise((resolve) => proc.child.once('exit', resolve));
    expect(proc.child.exitCode).toBe(2);
    expect(proc.lines.join('\n')).toContain('DATABASE_URL');
  });
});
