import pino from 'pino';
import { createTestDatabase, query } from '../support/database';
import { createDb, type Db } from '../../packages/control-plane/src/database/client';
import { migrate } from '../../packages/control-plane/src/database/migrate';
import { touchConfig } from '../../packages/control-plane/src/database/config-change';
import { SnapshotPublisher } from '../../packages/control-plane/src/snapshot/publisher';
import type { Snapshot } from '../../packages/control-plane/src/snapshot/snapshot';
import { PgListener } from '../../packages/control-plane/src/cluster/pg-listener';

const log = pino({ level: 'silent' });

/** Polls `probe` every 20 ms until it answers true, for at most `ms`. */
async function eventually(probe: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('snapshot publisher and LISTEN connection (real PostgreSQL)', () => {
  let databaseUrl: string;
  let db: Db;
  let groupId: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    await migrate(databaseUrl, log);
    db = createDb(databaseUrl);
    const org = await db.organization.create({ data: { name: 'org' } });
    groupId = (await db.runtimeGroup.create({ data: { organizationId: org.id, name: 'g' } })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('coalesces a burst of change notices into one announcement carrying the last committed state', async () => {
    const publisher = new SnapshotPublisher(db, log, { isWatched: () => true });
    const announced: Snapshot[] = [];
    publisher.onSnapshot((s) => announced.push(s));
    const first = await publisher.current(groupId);
    expect(first?.config.services).toHaveLength(0);
    announced.length = 0;
    for (let i = 0; i < 10; i++) {
      await db.$transaction(async (tx) => {
        await tx.service.create({ data: { runtimeGroupId: groupId, name: `s${i}`, host: 'h.internal' } });
        await touchConfig(tx, groupId);
      });
    }
    for (let i = 0; i < 10; i++) publisher.changed(groupId);
    const latest = await publisher.current(groupId);
    expect(latest?.config.services).toHaveLength(10);
    expect(latest?.version).toBe(10);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.hash).toBe(latest?.hash);
    // Nothing changed since: another notice rebuilds but announces nothing.
    publisher.changed(groupId);
    await publisher.current(groupId);
    expect(announced).toHaveLength(1);
  });

  it('re-makes a dropped LISTEN connection, reports it, and hears notifications again', async () => {
    const heard: string[] = [];
    let reconnects = 0;
    const listener = new PgListener(databaseUrl, { test_channel: (p) => heard.push(p) }, log, () => reconnects++);
    await listener.start();
    try {
      await query(databaseUrl, "SELECT pg_notify('test_channel', 'one')");
      await eventually(() => heard.includes('one'));
      const killed = await query(
        databaseUrl,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      );
      expect(killed.length).toBeGreaterThan(0);
      await eventually(() => reconnects === 1);
      await query(databaseUrl, "SELECT pg_notify('test_channel', 'two')");
      await eventually(() => heard.includes('two'));
    } finally {
      await listener.stop();
    }
  });
});
