import { GATEWAY_ENTITIES, type EntityName } from '@gatehouse/protocol';
import { openSealed, rowToShape } from '../crud/codec';
import { delegateOf, type Tx } from '../crud/entity';

// Oldest first, then id: equal contents always list, and so hash, equally.
const ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/**
 * Every gateway entity of a runtime group in its registry snapshot shape,
 * list by list in registry order, sealed secrets opened. Runs its queries one after another on
 * `tx`; callers wanting one instant pass a REPEATABLE READ transaction.
 */
export async function readStoredEntities(tx: Tx, runtimeGroupId: string): Promise<[EntityName, Record<string, unknown>[]][]> {
  const lists: [EntityName, Record<string, unknown>[]][] = [];
  for (const spec of GATEWAY_ENTITIES) {
    const rows = await delegateOf(tx, spec.model).findMany({ where: { runtimeGroupId }, orderBy: ORDER });
    // Sealed secrets (certificates' private keys) are opened: data planes need them, over the mTLS link.
    const shape = (row: (typeof rows)[number]) => ({ ...rowToShape(spec.snapshot, spec.references, row), ...openSealed(spec.sealedFields, row) });
    lists.push([spec.name, rows.map(shape)]);
  }
  return lists;
}
