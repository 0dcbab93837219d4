import { GATEWAY_ENTITIES, type GatewayConfig } from '@gatehouse/protocol';

type Listed = { id: string } & Record<string, unknown>;

/**
 * Checks that every reference inside a config (each registry entry's
 * `references`: routes → services; plugins → services, routes, consumers;
 * credentials → consumers) points at an entity in the same config and that
 * ids are unique per kind. Answers the problems found, empty when the config
 * is consistent. A config with problems is never served: a DP would otherwise
 * route to, or authenticate against, nothing.
 */
export function findInconsistencies(config: GatewayConfig): string[] {
  const problems: string[] = [];
  const lists = config as unknown as Record<string, Listed[]>;
  const present = new Map<string, Set<string>>();
  for (const spec of GATEWAY_ENTITIES) {
    const ids = new Set<string>();
    for (const item of lists[spec.name] ?? []) {
      if (ids.has(item.id)) problems.push(`${spec.noun} ${item.id} appears twice`);
      ids.add(item.id);
    }
    present.set(spec.name, ids);
  }
  for (const spec of GATEWAY_ENTITIES) {
    for (const item of lists[spec.name] ?? []) {
      for (const ref of spec.references) {
        const target = item[ref.field] as { id: string } | null | undefined;
        if (target && !present.get(ref.entity)?.has(target.id))
          problems.push(`${spec.noun} ${item.id} (${ref.field}) references a missing entity ${target.id}`);
      }
      for (const list of spec.idLists) {
        const ids = item[list.field];
        for (const id of Array.isArray(ids) ? (ids as string[]) : [])
          if (!present.get(list.entity)?.has(id)) problems.push(`${spec.noun} ${item.id} (${list.field}) references a missing entity ${id}`);
      }
    }
  }
  return problems;
}
