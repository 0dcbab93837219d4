import { canonicalJson, splitTarget, type GatewayConfig, type Target, type Upstream } from '@gatehouse/protocol';
import { ConsistentHashing } from './consistent-hashing';
import { hashSources, type HashSource } from './hash-input';
import { LeastConnections } from './least-connections';
import { Latency } from './latency';
import { RoundRobin } from './round-robin';
import { UpstreamHealth } from '../health/upstream-health';
import type { Algorithm, BalancerEntry } from './types';
import { ConcurrencyLimit } from './concurrency-limit';

/**
 * One upstream's balancer: its targets as entries (in Kong's order, oldest
 * first) and the algorithm's state (wheel position, connections in flight,
 * latencies). Kept across config swaps while the upstream and its targets
 * are unchanged (`definition`), so a config change elsewhere does not reset
 * the rotation. `health` (health/) marks the targets health checks took
 * out; its states outlive a rebuild of the same upstream.
 */
export interface UpstreamBalancer {
  readonly upstream: Upstream;
  readonly entries: readonly BalancerEntry[];
  readonly algorithm: Algorithm;
  /** Consistent hashing's inputs (primary, fallback); null for the other algorithms. */
  readonly hashSources: readonly HashSource[] | null;
  /** What the balancer was built from: the upstream's and its targets' balancing fields. */
  readonly definition: string;
  readonly health: UpstreamHealth;
  /** The circuit breaker (`max_concurrent_requests_per_target`, concurrency-limit.ts); null without a limit. */
  readonly limit: ConcurrencyLimit | null;
}

function algorithmFor(u: Upstream, entries: readonly BalancerEntry[]): Algorithm {
  switch (u.algorithm) {
    case 'consistent-hashing':
      return new ConsistentHashing(entries, u.slots);
    case 'least-connections':
      return new LeastConnections(entries);
    case 'latency':
      return new Latency(entries);
    default:
      return new RoundRobin(entries);
  }
}

function definitionOf(u: Upstream, targets: readonly Target[]): string {
  const { created_at: _c, updated_at: _u, tags: _t, ...fields } = u;
  return canonicalJson({ fields, targets: targets.map((t) => [t.target, t.weight]) });
}

/**
 * The balancers of a config, by upstream name in lower case (what a
 * service's host is matched against). A balancer of `previous` whose
 * definition is unchanged is reused as is.
 */
export function compileBalancers(config: GatewayConfig, previous: ReadonlyMap<string, UpstreamBalancer> | undefined): Map<string, UpstreamBalancer> {
  const byUpstream = new Map<string, Target[]>();
  for (const t of config.targets) {
    const list = byUpstream.get(t.upstream.id);
    if (list) list.push(t);
    else byUpstream.set(t.upstream.id, [t]);
  }
  const out = new Map<string, UpstreamBalancer>();
  for (const u of config.upstreams) {
    const targets = (byUpstream.get(u.id) ?? []).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    const definition = definitionOf(u, targets);
    const name = u.name.toLowerCase();
    const old = previous?.get(name);
    if (old?.definition === definition) {
      out.set(name, old);
      continue;
    }
    const entries = targets.map((t) => ({ target: t.target, ...splitTarget(t.target), weight: t.weight }));
    const health = new UpstreamHealth(u.id, u.name, u.healthchecks, entries, old?.upstream.id === u.id ? old.health : undefined, u.host_header);
    const max = u.max_concurrent_requests_per_target;
    const limit = max === null ? null : new ConcurrencyLimit(entries.length, max);
    out.set(name, { upstream: u, entries, algorithm: algorithmFor(u, entries), hashSources: hashSources(u), definition, health, limit });
  }
  return out;
}
