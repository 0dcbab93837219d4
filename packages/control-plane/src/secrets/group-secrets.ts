import { gatehouseSecretNames } from '@gatehouse/protocol';
import type { SecretKey } from '../certificates/key-encryption';
import type { Prisma } from '../generated/prisma/client';
import { openSecret } from './seal';

/**
 * The `_secrets` of a runtime group's snapshot: the organization's secrets its
 * entities reference (`{vault://gatehouse/<name>}`), decrypted, and no other.
 * Read in the snapshot's own transaction, so the values match the config.
 * Undefined when nothing is referenced. A referenced name the store lacks, or
 * one the current secret key cannot open, is left out: the data plane then
 * logs the reference as unresolved and only its entity is affected.
 */
export async function readGroupSecrets(
  tx: Prisma.TransactionClient,
  runtimeGroupId: string,
  entities: unknown,
  key: SecretKey,
): Promise<Record<string, string> | undefined> {
  const names = gatehouseSecretNames(entities);
  if (names.size === 0) return undefined;
  const rows = await tx.secret.findMany({
    where: { name: { in: [...names] }, organization: { runtimeGroups: { some: { id: runtimeGroupId } } } },
    select: { name: true, valueEnc: true },
    orderBy: { name: 'asc' },
  });
  const out: Record<string, string> = {};
  for (const row of rows) {
    try {
      out[row.name] = openSecret(row.name, row.valueEnc, key);
    } catch {
      // Left out: the DP's log names the reference (docs/SECURITY.md).
    }
  }
  return out;
}
