import { randomUUID } from 'node:crypto';
import { STATE_KINDS, entitySpec, referencesTo, type DeclarativeState, type KindPlan, type Plan, type StateEntity, type StateKind } from '@gatehouse/protocol';
import { referenceColumn } from '../crud/codec';
import { delegateOf, type Tx } from '../crud/entity';
import { rowData } from './columns';

/** Where the rows of a sync go: the group, and its organization (routes carry it for org-wide names). */
export interface ApplyScope {
  runtimeGroupId: string;
  organizationId: string;
}

type AnyPlan = KindPlan<Record<string, unknown>>;

/** The id of an entity read from the group (current state): every stored entity has one. */
function storedId(e: StateEntity<unknown>): string {
  if (e.id === undefined) throw new Error(`stored entity "${e.key}" has no id`);
  return e.id;
}

/**
 * Carries out a plan inside the caller's transaction, so it lands whole or
 * not at all. Order keeps cascades from taking entities the file keeps:
 * deletes run children first (the reverse of the registry's order), and just
 * before a kind's rows are deleted, updated entities that move away from them
 * (a route to another service) are detached; creates and updates then run
 * parents first, so every reference finds its row. Answers the ids of the
 * services it created.
 */
export async function applyPlan(tx: Tx, scope: ApplyScope, current: DeclarativeState, plan: Plan): Promise<{ createdServiceIds: string[] }> {
  const p = plan as unknown as Record<StateKind, AnyPlan>;
  const ids = new Map<string, string>();
  const keyOf = (kind: StateKind, key: string): string => `${kind}\n${key}`;
  for (const kind of STATE_KINDS) for (const e of current[kind] as StateEntity<unknown>[]) ids.set(keyOf(kind, e.key), storedId(e));
  for (const kind of STATE_KINDS) for (const u of p[kind].updates) ids.set(keyOf(kind, u.desired.key), storedId(u.current));
  const idOf = (kind: StateKind, key: string): string => {
    const id = ids.get(keyOf(kind, key));
    if (id === undefined) throw new Error(`sync plan refers to ${kind} "${key}" that has no row`);
    return id;
  };
  const table = (kind: StateKind) => delegateOf(tx, entitySpec(kind).model);

  for (const kind of [...STATE_KINDS].reverse()) {
    const doomed = p[kind].deletes.map(storedId);
    if (doomed.length === 0) continue;
    for (const { from, reference } of referencesTo(kind)) {
      if (reference.required) continue;
      const moving = p[from.name as StateKind].updates.filter((u) => u.changed.includes(reference.field)).map((u) => storedId(u.current));
      if (moving.length > 0)
        await table(from.name as StateKind).updateMany({ where: { id: { in: moving } }, data: { [referenceColumn(reference.field)]: null } });
    }
    await table(kind).deleteMany({ where: { id: { in: doomed } } });
  }

  const createdServiceIds: string[] = [];
  for (const kind of STATE_KINDS) {
    // Updates before creates, so a name an update gives up is free for a create.
    for (const u of p[kind].updates) {
      const changed = Object.fromEntries(u.changed.map((f) => [f, u.desired.fields[f]]));
      await table(kind).update({ where: { id: storedId(u.current) }, data: rowData(kind, changed, idOf) });
    }
    const creates = p[kind].creates;
    if (creates.length === 0) continue;
    for (const e of creates) ids.set(keyOf(kind, e.key), e.id ?? randomUUID());
    if (kind === 'services') createdServiceIds.push(...creates.map((e) => idOf(kind, e.key)));
    const extra: Record<string, unknown> = {
      runtimeGroupId: scope.runtimeGroupId,
      ...(entitySpec(kind).uniqueIn === 'organization' ? { organizationId: scope.organizationId } : {}),
    };
    await table(kind).createMany({ data: creates.map((e) => ({ id: idOf(kind, e.key), ...extra, ...rowData(kind, e.fields, idOf) })) });
  }
  return { createdServiceIds };
}

/** Whether a plan changes anything (a sync that changes nothing bumps no version). */
export function planIsEmpty(plan: Plan): boolean {
  const p = plan as unknown as Record<StateKind, AnyPlan>;
  return STATE_KINDS.every((k) => p[k].creates.length === 0 && p[k].updates.length === 0 && p[k].deletes.length === 0);
}
