import net from 'node:net';
import { createDb, type Db } from '../database/client';
import { fromDatabaseError } from './database-errors';

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('fromDatabaseError: a database that cannot be reached', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(`postgresql://gatehouse:x@127.0.0.1:${await deadPort()}/gatehouse`);
  });
  afterAll(() => db.$disconnect());

  it('answers database_unavailable for a model query', async () => {
    const err = await db.runtimeGroup.findMany().catch((e: unknown) => e);
    expect(fromDatabaseError(err)?.code).toBe('database_unavailable');
  });

  it('answers database_unavailable for a raw query too (Prisma reports it as P2010 with the adapter cause)', async () => {
    const err = await db.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('P2010');
    expect(fromDatabaseError(err)?.code).toBe('database_unavailable');
  });
});
