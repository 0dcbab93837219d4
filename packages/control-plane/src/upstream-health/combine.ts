import type { TargetHealthName } from '@gatehouse/protocol';
import type { NodeHealth } from '../cluster/health-reports';

/** One node's view of a target. */
export interface NodeTargetHealth {
  node_id: string;
  hostname: string;
  health: TargetHealthName;
}

/**
 * A target's health across the nodes that report its upstream: UNHEALTHY
 * when any node has it unhealthy (some traffic avoids it), else DNS_ERROR
 * when any node could not resolve it, else HEALTHY when any node checks it,
 * else HEALTHCHECKS_OFF. With no node reporting: HEALTHCHECKS_OFF when the
 * upstream's health checks are off, else HEALTHY (a target's state before
 * any check, as in Kong).
 */
export function combineHealth(views: readonly NodeTargetHealth[], checksOn: boolean): TargetHealthName {
  const seen = new Set(views.map((v) => v.health));
  if (seen.has('UNHEALTHY')) return 'UNHEALTHY';
  if (seen.has('DNS_ERROR')) return 'DNS_ERROR';
  if (seen.has('HEALTHY')) return 'HEALTHY';
  if (seen.size > 0) return 'HEALTHCHECKS_OFF';
  return checksOn ? 'HEALTHY' : 'HEALTHCHECKS_OFF';
}

/** Every node's view of `target` of the upstream `upstreamId`. */
export function nodeViews(nodes: readonly NodeHealth[], upstreamId: string, target: string): NodeTargetHealth[] {
  const out: NodeTargetHealth[] = [];
  for (const n of nodes) {
    const t = n.upstreams.find((u) => u.id === upstreamId)?.targets.find((x) => x.target === target);
    if (t) out.push({ node_id: n.nodeId, hostname: n.hostname, health: t.health });
  }
  return out;
}
