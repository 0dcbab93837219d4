import net from 'node:net';
import { canonicalJson, splitTarget, type GatewayConfig, type Target, type Upstream } from '@gatehouse/protocol';
import { ConsistentHashing } from './consistent-hashing';
import { hashSources, type HashSource } from './hash-input';
import { LeastConnections } from './least-connections';
import { Latency } from './latency';
import { RoundRobin } from './round-robin';
import { UpstreamHealth, type TargetHealthName } from '../health/upstream-health';
import { dnsTargets, type DnsTargets } from './dns-targets';
import type { Algorithm, BalancerEntry } from './types';
import { ConcurrencyLimit } from './concurrency-limit';

/** One target in this process's health report (the cluster `health` message's shape). */
export interface TargetHealthReport {
  target: string;
  weight: number;
  health: TargetHealthName;
  addresses: { ip: string; port: number; health: TargetHealthName; weight: number }[];
}

/** A target as configured: its address, weight, and the hostname to resolve (null for an IP address). */
export interface BalancedTarget {
  readonly target: string;
  readonly weight: number;
  readonly hostname: string | null;
  readonly port: number;
}

/**
 * One upstream's balancer: its entries (in Kong's order, oldest target
 * first; a hostname target gives one entry per address of its DNS answer,
 * each of the target's weight, as Kong) and the algorithm's state (wheel
 * position, connections in flight, latencies). Kept across config swaps
 * while the upstream and its targets are unchanged (`definition`), so a
 * config change elsewhere does not reset the rotation. `health` (health/)
 * marks the entries health checks took out; its states outlive a rebuild of
 * the same upstream. When a hostname's addresses change (dns-targets.ts,
 * started by `watchDns` in the process that proxies), the entries and the
 * algorithm are rebuilt in place (`generation` counts the rebuilds).
 */
export class UpstreamBalancer {
  entries: readonly BalancerEntry[] = [];
  algorithm: Algorithm;
  /** The circuit breaker (`max_concurrent_requests_per_target`, concurrency-limit.ts); null without a limit. */
  limit: ConcurrencyLimit | null;
  generation = 0;
  readonly health: UpstreamHealth;
  /** Consistent hashing's inputs (primary, fallback); null for the other algorithms. */
  readonly hashSources: readonly HashSource[] | null;
  private unwatch: (() => void)[] | null = null;

  constructor(
    readonly upstream: Upstream,
    readonly targets: readonly BalancedTarget[],
    /** What the balancer was built from: the upstream's and its targets' balancing fields. */
    readonly definition: string,
    previousHealth: UpstreamHealth | undefined,
    private readonly dns: DnsTargets = dnsTargets(),
  ) {
    this.entries = this.expand();
    this.algorithm = algorithmFor(upstream, this.entries);
    this.limit = limitFor(upstream, this.entries);
    this.hashSources = hashSources(upstream);
    this.health = new UpstreamHealth(upstream.id, upstream.name, upstream.healthchecks, this.entries, previousHealth, upstream.host_header);
  }

  /** Starts resolving the hostname targets in the background (idempotent); the entries follow their answers. */
  watchDns(): void {
    if (this.unwatch !== null) return;
    const names = [...new Set(this.targets.flatMap((t) => (t.hostname === null ? [] : [t.hostname])))];
    this.unwatch = names.map((n) => this.dns.watch(n, () => this.rebuild()));
    this.rebuild();
  }

  /** Stops following DNS (the balancer left the serving config). */
  stopDns(): void {
    for (const fn of this.unwatch ?? []) fn();
    this.unwatch = null;
  }

  /**
   * Each target's health as `/upstreams/{u}/health` shows it, with its
   * entries as Kong's `addresses` (an IP target's own, or each address of a
   * hostname's last good answer): DNS_ERROR for a hostname that never
   * resolved (no addresses), else UNHEALTHY when every address is, else the
   * health of a healthy one.
   */
  targetHealth(): TargetHealthReport[] {
    return this.targets.map((t) => {
      const indices: number[] = [];
      const addresses: TargetHealthReport['addresses'] = [];
      this.entries.forEach((e, i) => {
        if (e.target !== t.target) return;
        indices.push(i);
        addresses.push({ ip: e.host, port: e.port, health: this.health.healthOf(i), weight: e.weight });
      });
      if (indices.length === 0) return { target: t.target, weight: t.weight, health: 'DNS_ERROR', addresses };
      const healthy = indices.find((i) => this.health.isHealthy(i));
      return { target: t.target, weight: t.weight, health: this.health.healthOf(healthy ?? indices[0] ?? 0), addresses };
    });
  }

  private rebuild(): void {
    const entries = this.expand();
    if (canonicalJson(entries) === canonicalJson(this.entries)) return;
    this.entries = entries;
    this.algorithm = algorithmFor(this.upstream, entries);
    this.limit = limitFor(this.upstream, entries);
    this.health.reset(entries);
    this.generation++;
  }

  private expand(): BalancerEntry[] {
    return this.targets.flatMap((t) => {
      if (t.hostname === null) return [{ target: t.target, ...splitTarget(t.target), weight: t.weight }];
      const hostname = t.hostname;
      const srv = this.dns.srv(hostname);
      // SRV records bring their own port and weight (Kong); a target of weight 0 stays out whatever they say.
      if (srv !== undefined)
        return srv.map((a) => ({
          target: t.target,
          host: a.address,
          port: a.port === 0 ? t.port : a.port,
          weight: t.weight === 0 ? 0 : a.weight,
          hostname: this.upstream.use_srv_name ? a.name : hostname,
        }));
      const addresses = this.dns.addresses(hostname) ?? [];
      return addresses.map((a) => ({ target: t.target, host: a, port: t.port, weight: t.weight, hostname }));
    });
  }
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

function limitFor(u: Upstream, entries: readonly BalancerEntry[]): ConcurrencyLimit | null {
  const max = u.max_concurrent_requests_per_target;
  return max === null ? null : new ConcurrencyLimit(entries.length, max);
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
    const balanced = targets.map((t) => {
      const { host, port } = splitTarget(t.target);
      return { target: t.target, weight: t.weight, port, hostname: net.isIP(host) === 0 ? host : null };
    });
    out.set(name, new UpstreamBalancer(u, balanced, definition, old?.upstream.id === u.id ? old.health : undefined));
  }
  return out;
}
