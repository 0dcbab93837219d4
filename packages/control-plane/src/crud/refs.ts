import type { EntityRef } from '@gatehouse/protocol';
import { schemaViolation } from '../http/api-error';
import { keyWhere } from '../http/entity-key';
import { columnOf } from './codec';
import type { EntityDef, Tx } from './entity';

/**
 * Resolves the foreign keys of validated input (`service: {id} | {name}`) to
 * ids of entities in the same runtime group. A reference to a missing entity,
 * or to one in another group, is a 400 naming the field: a group's config can
 * never point outside the group.
 */
export async function resolveRefs(tx: Tx, def: EntityDef, runtimeGroupId: string, input: Record<string, unknown>): Promise<Record<string, string | null>> {
  const ids: Record<string, string | null> = {};
  const missing: Record<string, string> = {};
  for (const fk of def.foreignKeys) {
    const ref = input[fk.field] as EntityRef | null | undefined;
    if (ref === undefined) continue;
    if (ref === null) {
      ids[fk.field] = null;
      continue;
    }
    const target = fk.target();
    const by = ref.id !== undefined ? keyWhere(ref.id, null) : target.endpointKey ? { [columnOf(target.endpointKey)]: ref.name } : null;
    const found = by ? await target.model(tx).findFirst({ where: { ...by, runtimeGroupId } }) : null;
    if (!found) {
      const key = ref.id !== undefined ? `id '${ref.id}'` : `name '${ref.name}'`;
      missing[fk.field] = `no ${target.label} with ${key} in this runtime group`;
      continue;
    }
    if (ref.id !== undefined && ref.name !== undefined && target.endpointKey && found[columnOf(target.endpointKey)] !== ref.name) {
      missing[fk.field] = `id and name refer to different ${target.path}`;
      continue;
    }
    ids[fk.field] = found.id;
  }
  if (Object.keys(missing).length > 0) throw schemaViolation(missing);
  return ids;
}
