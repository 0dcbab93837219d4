import { parseHostAddress, type Service } from '@gatehouse/protocol';
import type { Pool } from 'undici';
import type { RequestContext } from '../proxy/request-context';
import { serverName, type PoolTarget, type UpstreamPools } from '../upstream/pools';
import { hashKey } from './hash-input';
import type { UpstreamBalancer } from './upstream-balancer';
import { failureEvent } from '../health/passive';
import type { UpstreamFailure } from '../upstream/failure';

/** One target as a service reaches it: its pool (the service's scheme and connect timeout) and the Host header it gets. */
export interface Peer {
  readonly index: number;
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
  readonly peers: readonly Peer[];

  constructor(
    readonly balancer: UpstreamBalancer,
    service: Service,
    scheme: 'http' | 'https',
    pools: UpstreamPools,
  ) {
    const hostHeaderName = balancer.upstream.host_header;
    this.peers = balancer.entries.map((e, index) => {
      const hostHeader = peerHostHeader(hostHeaderName ?? e.host, e.port, scheme);
      const poolTarget: PoolTarget = {
        scheme,
        host: e.host,
        port: e.port,
        connectTimeout: service.connect_timeout,
        servername: scheme === 'https' ? serverName(hostHeader) : undefined,
      };
      return {
        index,
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
    const index = this.balancer.algorithm.pick(key, previous === null ? -1 : previous.index, down);
    if (index < 0) return null;
    this.balancer.algorithm.started(index);
    limit?.started(index);
    return this.peers[index] ?? null;
  }

  /** A try on `peer` ended: `ms` to the response head, or null when none came. */
  finished(peer: Peer, ms: number | null): void {
    this.balancer.algorithm.finished(peer.index, ms);
    this.balancer.limit?.finished(peer.index);
  }

  /** Passive health checks: a try on `peer` got a response of `status`. */
  reportStatus(peer: Peer, status: number): void {
    this.balancer.health.reportStatus(peer.index, status);
  }

  /** Passive health checks: a try on `peer` failed before any response (a timeout counts as one, a connection failure as a TCP failure). */
  reportFailure(peer: Peer, failure: UpstreamFailure): void {
    const event = failureEvent(failure);
    if (event !== null) this.balancer.health.report(peer.index, event, 'passive');
  }

  /** Every pool the service's peers use, for the swap's `retainOnly`. */
  poolTargets(): PoolTarget[] {
    return this.peers.map((p) => p.poolTarget);
  }
}
