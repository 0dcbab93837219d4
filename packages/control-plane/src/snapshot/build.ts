import { gatewayConfig, issuesToFields, type GatewayConfig } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import { readStoredEntities } from './stored-entities';
import { findInconsistencies } from './consistency';

/** A config the database holds but that cannot be served (schema or reference problems). */
export class InvalidSnapshotError extends Error {
  constructor(
    readonly runtimeGroupId: string,
    readonly problems: string[],
  ) {
    super(`the config of runtime group ${runtimeGroupId} is not consistent: ${problems.slice(0, 5).join('; ')}`);
  }
}

/** A runtime group's config as read at one instant, with the version it had then. */
export interface BuiltConfig {
  version: number;
  config: GatewayConfig;
}

// A 50,000-route group takes about two seconds to read; Prisma's interactive default is 5 s.
const READ_TIMEOUT_MS = 60_000;

/**
 * Reads a runtime group's whole config in one REPEATABLE READ transaction, so
 * the entities and `config_version` come from the same instant, then checks it
 * against the protocol schema and for dangling references. Answers undefined
 * when the group does not exist; throws InvalidSnapshotError for a config
 * that must not be served. Rows are ordered (oldest first, then id) so equal
 * contents always hash equally.
 */
export async function buildGroupConfig(db: Db, runtimeGroupId: string): Promise<BuiltConfig | undefined> {
  const read = await db.$transaction(
    async (tx) => {
      const group = await tx.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { configVersion: true } });
      return group ? { version: Number(group.configVersion), lists: await readStoredEntities(tx, runtimeGroupId) } : undefined;
    },
    { isolationLevel: 'RepeatableRead', timeout: READ_TIMEOUT_MS, maxWait: 10_000 },
  );
  if (!read) return undefined;
  const parsed = gatewayConfig.safeParse({ _format_version: '3.0', ...Object.fromEntries(read.lists) });
  if (!parsed.success) {
    const fields = issuesToFields(parsed.error.issues);
    throw new InvalidSnapshotError(
      runtimeGroupId,
      Object.entries(fields).map(([f, why]) => `${f}: ${why}`),
    );
  }
  const problems = findInconsistencies(parsed.data);
  if (problems.length > 0) throw new InvalidSnapshotError(runtimeGroupId, problems);
  return { version: read.version, config: parsed.data };
}
