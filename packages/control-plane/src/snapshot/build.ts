import { gatewayConfig, issuesToFields, type GatewayConfig } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import type { SecretKey } from '../certificates/key-encryption';
import { readGroupSecrets } from '../secrets/group-secrets';
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
 * that must not be served. With `secretKey`, the config carries the
 * gatehouse-vault secrets it references (`_secrets`). Rows are ordered (oldest first, then id) so equal
 * contents always hash equally.
 */
export async function buildGroupConfig(db: Db, runtimeGroupId: string, secretKey?: SecretKey): Promise<BuiltConfig | undefined> {
  const read = await db.$transaction(
    async (tx) => {
      const group = await tx.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { configVersion: true } });
      if (!group) return undefined;
      const lists = await readStoredEntities(tx, runtimeGroupId);
      // The gatehouse-vault secrets the config references travel with it (docs/SECURITY.md).
      const secrets = secretKey === undefined ? undefined : await readGroupSecrets(tx, runtimeGroupId, lists, secretKey);
      return { version: Number(group.configVersion), lists, secrets };
    },
    { isolationLevel: 'RepeatableRead', timeout: READ_TIMEOUT_MS, maxWait: 10_000 },
  );
  if (!read) return undefined;
  const parsed = gatewayConfig.safeParse({ _format_version: '3.0', ...Object.fromEntries(read.lists), ...(read.secrets ? { _secrets: read.secrets } : {}) });
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
