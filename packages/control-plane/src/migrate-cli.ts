import { thrownMessage } from '@gatehouse/protocol';
import { migrate } from './database/migrate';
import { createLogger } from './logging';

/**
 * `npm run migrate`: applies prisma/migrations to DATABASE_URL (the same
 * migrator the CP runs at start, recording each in `_prisma_migrations`).
 */
async function main(): Promise<void> {
  const log = createLogger('migrate');
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error('gatehouse migrate: DATABASE_URL: set it to the postgresql:// URL of the database to migrate');
    process.exit(2);
  }
  const applied = await migrate(url, log);
  log.info({ event: 'migrate_done', applied: applied.length }, applied.length === 0 ? 'the database is up to date' : `applied ${applied.length} migration(s)`);
}

main().catch((err: unknown) => {
  console.error(`gatehouse migrate: ${thrownMessage(err)}`);
  process.exit(1);
});
