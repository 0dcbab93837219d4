import type { AddressHealth, NodeTargetHealth, TargetHealthName } from '@gatehouse/protocol';
import type { NodeHealth } from '../cluster/health-reports';

export type { NodeTargetHealth };

/**
 * A target's health across the nodes that report its upstream: UNHEALTHY
 * when any node has it unhealthy (some traffic avoids it), else DNS_ERROR
 * when any node could not resolve it, else HEALTHY when any node checks it,
 * else HEALTHCHECKS_OFF. With no node reporting: HEALTHCHECKS_OFF when the
 * upstream's health checks are off, else HEALTHY (a target's state before
 * any check, as in Kong).
 */
export function combineHealth(views: readonly { health: TargetHealthName }[], checksOn: boolean): TargetHealthName {
  const seen = new Set(views.map((v) => v.health));
  if (seen.has('UNHEALTHY')) return 'UNHEALTHY';
  if (seen.has('DNS_ERROR')) return 'DNS_ERROR';
  if (seen.has('HEALTHY')) return 'HEALTHY';
  if (seen.size > 0) return 'HEALTHCHECKS_OFF';
  return checksOn ? 'HEALTHY' : 'HEALTHCHECKS_OFF';
}

/** Every node's view of `target` of the upstream `upstreamId`, with the addresses it balances over (none from a DP that does not report them). */
export function nodeViews(nodes: readonly NodeHealth[], upstreamId: string, target: string): NodeTargetHealth[] {
  const out: NodeTargetHealth[] = [];
  for (const n of nodes) {
    const t = n.upstreams.find((u) => u.id === upstreamId)?.targets.find((x) => x.target === target);
    if (t) out.push({ node_id: n.nodeId, hostname: n.hostname, health: t.health, addresses: t.addresses ?? [] });
  }
  return out;
}

/**
 * A target's addresses over the nodes (Kong's `data.addresses`): every
 * address some node balances over, in the order first reported, each with
 * its health combined over the nodes that hold it (as `combineHealth`).
 */
export function combineAddresses(views: readonly NodeTargetHealth[], checksOn: boolean): AddressHealth[] {
  const byAddress = new Map<string, { first: AddressHealth; views: AddressHealth[] }>();
  for (const v of views) {
    for (const a of v.addresses) {
      const key = `${a.ip}|${a.port}`;
      const seen = byAddress.get(key);
      if (seen) seen.views.push(a);
      else byAddress.set(key, { first: a, views: [a] });
    }
  }
  return [...byAddress.values()].map(({ first, views: held }) => ({ ...first, health: combineHealth(held, checksOn) }));
}
