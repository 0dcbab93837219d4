import type { Prisma } from '../generated/prisma/client';

/** The PostgreSQL channel that carries "this runtime group's config changed". */
export const CONFIG_CHANNEL = 'gatehouse_config';

/**
 * Records, inside the writing transaction, that a runtime group's config
 * changed: bumps its `config_version` and queues a NOTIFY that PostgreSQL
 * delivers to every listening CP process only when the transaction commits.
 * Every write to a gateway entity must call this in its transaction.
 */
export async function touchConfig(tx: Prisma.TransactionClient, runtimeGroupId: string): Promise<void> {
  await tx.$executeRaw`UPDATE runtime_groups SET config_version = config_version + 1 WHERE id = ${runtimeGroupId}::uuid`;
  await tx.$executeRaw`SELECT pg_notify(${CONFIG_CHANNEL}, ${runtimeGroupId})`;
}
