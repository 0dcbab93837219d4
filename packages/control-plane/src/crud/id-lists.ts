import { GATEWAY_ENTITIES, entitySpec, type EntityName } from '@gatehouse/protocol';
import { ApiError, schemaViolation } from '../http/api-error';
import { columnOf } from './codec';
import { delegateOf, type EntityDef, type Row, type Tx } from './entity';

/**
 * Lists of ids of other entities (a service's `ca_certificates`, the
 * registry's `idLists`): every id must name an entity of the same runtime
 * group (else 400 naming the field), and such an entity cannot be deleted
 * while a list holds it (Kong's message).
 */
export async function checkIdLists(tx: Tx, def: EntityDef, runtimeGroupId: string, input: Record<string, unknown>): Promise<void> {
  const problems: Record<string, string> = {};
  for (const list of def.spec.idLists) {
    const ids = input[list.field];
    if (!Array.isArray(ids) || ids.length === 0) continue;
    const target = entitySpec(list.entity);
    const found = await delegateOf(tx, target.model).findMany({ where: { id: { in: ids as string[] }, runtimeGroupId } });
    const present = new Set(found.map((r) => r.id));
    const missing = (ids as string[]).find((id) => !present.has(id.toLowerCase()));
    if (missing !== undefined) problems[list.field] = `no ${target.noun} with id '${missing}' in this runtime group`;
  }
  if (Object.keys(problems).length > 0) throw schemaViolation(problems);
}

/** Refuses to delete an entity an id list still holds: `ca certificate <id> is still referenced by services (id = <id>)`. */
export async function refuseListedDelete(tx: Tx, def: EntityDef, existing: Row): Promise<void> {
  for (const from of GATEWAY_ENTITIES) {
    for (const list of from.idLists) {
      if (list.entity !== (def.spec.name as EntityName)) continue;
      const holder = await delegateOf(tx, from.model).findFirst({ where: { [columnOf(list.field)]: { has: existing.id } } });
      if (holder) throw new ApiError('conflict', `${def.label} ${existing.id} is still referenced by ${from.name} (id = ${holder.id})`);
    }
  }
}
