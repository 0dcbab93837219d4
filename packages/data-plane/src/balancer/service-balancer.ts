import { parseHostAddress, type Service } from '@gatehouse/protocol';
import type { Pool } from 'undici';
import type { RequestContext } from '../proxy/request-context';
import { serverName, type PoolTarget, type UpstreamPools } from '../upstream/pools';
import { hashKey } from './hash-input';
import type { UpstreamBalancer } from './upstream-balancer';
import { failureEvent } from '../health/passive';
import type { UpstreamFailure } from '../upstream/failure';
import type { UpstreamTls } from '../upstream/tls-options';

/** One target as a service reaches it: its pool (the service's scheme and connect timeout) and the Host header it gets. */
export interface Peer {
  readonly index: number;
  /** The balancer's generation the peer belongs to (its entries change when a hostname's DNS answer does). */
  readonly generation: number;
  readonly target: string;
  /** Host header without preserve_host: the upstream's host_header or the target's host, with the port unless the scheme's default. */
  readonly hostHeader: string;
  readonly poolTarget: PoolTarget;
  readonly pool: Pool;
  /** The pool for a TLS name taken from the client's Host (preserve_host on an https service). */
  poolFor(serverName: string | undefined): Pool;
  /** A live pool for this target again, for a request that outlived its config. */
  reopenPool(): Pool;
}

/** Kong's upstream Host: the name, plus `:port` unless it is the scheme's default port. */
function peerHostHeader(name: string, port: number, scheme: 'http' | 'https'): string {
  const p = parseHostAddress(name);
  if (p !== null && p.port !== null) return name;
  const host = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return (port === 80 && scheme === 'http') || (port === 443 && scheme === 'https') ? host : `${host}:${port}`;
}

/**
 * A service balanced over an upstream (its `host` is the upstream's name):
 * the upstream's balancer and one peer per target with the service's way of
 * connecting. `pick` chooses the target of one try.
 */
export class ServiceBalancer {
  private built: { generation: number; peers: readonly Peer[] } | null = null;

  constructor(
    readonly balancer: UpstreamBalancer,
    private readonly service: Service,
    private readonly scheme: 'http' | 'https',
    private readonly pools: UpstreamPools,
    /** The service's upstream TLS settings, for https targets. */
    private readonly tls: UpstreamTls | null = null,
  ) {}

  /** One peer per balancer entry, built again when the entries changed (a DNS answer). */
  get peers(): readonly Peer[] {
    const generation = this.balancer.generation;
    if (this.built?.generation !== generation) this.built = { generation, peers: this.buildPeers(generation) };
    return this.built.peers;
  }

  private buildPeers(generation: number): Peer[] {
    const { service, scheme, pools } = this;
    const hostHeaderName = this.balancer.upstream.host_header;
    return this.balancer.entries.map((e, index) => {
      // A hostname target's address gets the hostname as Host, as Kong.
      const hostHeader = peerHostHeader(hostHeaderName ?? e.hostname ?? e.host, e.port, scheme);
      const poolTarget: PoolTarget = {
        scheme,
        host: e.host,
        port: e.port,
        connectTimeout: service.connect_timeout,
        servername: scheme === 'https' ? serverName(hostHeader) : undefined,
        tls: scheme === 'https' ? this.tls : null,
      };
      return {
        index,
        generation,
        target: e.target,
        hostHeader,
        poolTarget,
        pool: pools.get(poolTarget),
        poolFor: (name) => pools.forClientSni({ ...poolTarget, servername: name }),
        reopenPool: () => pools.get(poolTarget),
      };
    });
  }

  /**
   * The peer for a try: the algorithm's choice for this request, avoiding
   * `previous` (the target the last try failed on) when another exists and
   * the targets health checks took out or that are at the upstream's
   * `max_concurrent_requests_per_target`; null when no target can take it
   * (none, all of weight 0, unhealthy or at the limit, or the healthy share
   * of the weight below the upstream's `threshold`).
   */
  pick(ctx: RequestContext, previous: Peer | null): Peer | null {
    const health = this.balancer.health;
    if (!health.available()) return null;
    const sources = this.balancer.hashSources;
    const key = sources === null ? '' : hashKey(sources, ctx);
    const limit = this.balancer.limit;
    const down = limit === null ? health.down : limit.mask(health.down);
    const peers = this.peers;
    const exclude = previous === null || !this.current(previous) ? -1 : previous.index;
    const index = this.balancer.algorithm.pick(key, exclude, down);
    if (index < 0) return null;
    this.balancer.algorithm.started(index);
    limit?.started(index);
    return peers[index] ?? null;
  }

  /** Whether `peer` still names the same entry (no DNS rebuild of the entries since it was picked). */
  private current(peer: Peer): boolean {
    return peer.generation === this.balancer.generation;
  }

  /** A try on `peer` ended: `ms` to the response head, or null when none came. */
  finished(peer: Peer, ms: number | null): void {
    if (!this.current(peer)) return;
    this.balancer.algorithm.finished(peer.index, ms);
    this.balancer.limit?.finished(peer.index);
  }

  /** Passive health checks: a try on `peer` got a response of `status`. */
  reportStatus(peer: Peer, status: number): void {
    if (this.current(peer)) this.balancer.health.reportStatus(peer.index, status);
  }

  /** Passive health checks: a try on `peer` failed before any response (a timeout counts as one, a connection failure as a TCP failure). */
  reportFailure(peer: Peer, failure: UpstreamFailure): void {
    const event = failureEvent(failure);
    if (event !== null && this.current(peer)) this.balancer.health.report(peer.index, event, 'passive');
  }

  /** Every pool the service's peers use, for the swap's `retainOnly`. */
  poolTargets(): PoolTarget[] {
    return this.peers.map((p) => p.poolTarget);
  }
}
