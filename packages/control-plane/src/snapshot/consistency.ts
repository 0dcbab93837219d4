import type { GatewayConfig } from '@gatehouse/protocol';

/**
 * Checks that every reference inside a config points at an entity in the same
 * config (routes → services; plugins → services, routes, consumers;
 * credentials → consumers) and that ids are unique. Answers the problems
 * found, empty when the config is consistent. A config with problems is never
 * served: a DP would otherwise route to, or authenticate against, nothing.
 */
export function findInconsistencies(config: GatewayConfig): string[] {
  const problems: string[] = [];
  const ids = (items: ReadonlyArray<{ id: string }>, kind: string): Set<string> => {
    const set = new Set<string>();
    for (const item of items) {
      if (set.has(item.id)) problems.push(`${kind} ${item.id} appears twice`);
      set.add(item.id);
    }
    return set;
  };
  const services = ids(config.services, 'service');
  const routes = ids(config.routes, 'route');
  const consumers = ids(config.consumers, 'consumer');
  ids(config.plugins, 'plugin');
  const check = (present: Set<string>, refd: { id: string } | null, what: string): void => {
    if (refd !== null && !present.has(refd.id)) problems.push(`${what} references a missing entity ${refd.id}`);
  };
  for (const r of config.routes) check(services, r.service, `route ${r.id}`);
  for (const p of config.plugins) {
    check(services, p.service, `plugin ${p.id} (service)`);
    check(routes, p.route, `plugin ${p.id} (route)`);
    check(consumers, p.consumer, `plugin ${p.id} (consumer)`);
  }
  for (const [kind, list] of [
    ['keyauth_credential', config.keyauth_credentials],
    ['basicauth_credential', config.basicauth_credentials],
    ['acl', config.acls],
  ] as const) {
    ids(list, kind);
    for (const c of list) check(consumers, c.consumer, `${kind} ${c.id}`);
  }
  return problems;
}
