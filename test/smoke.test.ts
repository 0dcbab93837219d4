import { createTestDatabase, query } from './support/database';
import { startControlPlane } from './support/processes';

describe('control plane process', () => {
  it('starts on a test database and applies the migrations', async () => {
    const databaseUrl = await createTestDatabase();
    const cp = await startControlPlane({ databaseUrl });
    try {
      const rows = await query<{ migration_name: string }>(databaseUrl, 'SELECT migration_name FROM _prisma_migrations');
      expect(rows.map((r) => r.migration_name)).toContain('20261121000000_init');
    } finally {
      await cp.stop();
    }
  });
});
