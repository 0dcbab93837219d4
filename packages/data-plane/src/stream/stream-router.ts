import { compileSni, normalizeSni, sniMatches, type SniPattern } from '../router/sni-match';
import { isStreamRoute, parseCidr, parseIp, cidrContains, type Cidr, type GatewayConfig, type Route } from '@gatehouse/protocol';

/**
 * What a stream route is matched on: how the connection came (`tcp` on a
 * plain listener, for `tcp` routes; `tls` on an `ssl` one, for `tls` and
 * `tls_passthrough` routes, as Kong), the client's address, the address it
 * connected to, and the TLS SNI when there is one.
 */
export interface StreamConnection {
  accept: 'tcp' | 'tls';
  sourceIp: string;
  sourcePort: number;
  destinationIp: string;
  destinationPort: number;
  /** The client's TLS server name; null when it named none (or for plain tcp). */
  sni: string | null;
}

interface Endpoint {
  block: Cidr | null;
  port: number | null;
}

/** A stream route compiled for matching. */
export interface StreamRouteEntry {
  readonly route: Route;
  readonly protocols: ReadonlySet<string>;
  readonly sources: readonly Endpoint[];
  readonly destinations: readonly Endpoint[];
  readonly snis: readonly SniPattern[];
  /** Kong's stream priority (higher first): SNI or source-and-destination routes, then how precisely sources and destinations are given. */
  readonly priority: number;
}

const IP_BIT = 8;
const PORT_BIT = 4;
const CIDR_BIT = 1;

/** Kong's weight of a sources or destinations list (router/transform.lua): an exact IP beats a port, which beats a CIDR block. */
function listWeight(list: readonly { ip: string | null; port: number | null }[]): number {
  let w = 0;
  for (const e of list) {
    if (e.ip !== null) w |= e.ip.includes('/') ? CIDR_BIT : IP_BIT;
    if (e.port !== null) w |= PORT_BIT;
  }
  return w;
}

function priorityOf(r: Route): number {
  const strong = r.snis.length > 0 || (r.sources.length > 0 && r.destinations.length > 0) ? 1 << 8 : 0;
  return strong + (listWeight(r.sources) << 4) + listWeight(r.destinations);
}

function endpoint(e: { ip: string | null; port: number | null }): Endpoint {
  return { block: e.ip === null ? null : parseCidr(e.ip), port: e.port };
}

function endpointsMatch(list: readonly Endpoint[], ip: Uint8Array | null, port: number): boolean {
  if (list.length === 0) return true;
  return list.some((e) => (e.port === null || e.port === port) && (e.block === null || (ip !== null && cidrContains(e.block, ip))));
}

/**
 * The stream routes of one config, in Kong's order (priority, then oldest
 * first), matched by a connection's protocol, addresses and SNI. Built once
 * per config and never changed (a new config builds a new one).
 */
export class StreamRouter {
  readonly entries: readonly StreamRouteEntry[];
  /** `disabled`: the ids of disabled services, whose routes are left out (Kong: as if they did not exist). */
  constructor(routes: readonly Route[], disabled: ReadonlySet<string> = new Set()) {
    this.entries = routes
      .filter((r) => isStreamRoute(r) && (r.service === null || !disabled.has(r.service.id)))
      .map((r) => ({
        route: r,
        protocols: new Set<string>(r.protocols),
        sources: r.sources.map(endpoint),
        destinations: r.destinations.map(endpoint),
        snis: r.snis.map(compileSni),
        priority: priorityOf(r),
      }))
      .sort((a, b) => b.priority - a.priority || a.route.created_at - b.route.created_at || (a.route.id < b.route.id ? -1 : 1));
  }

  /** The first route that takes the connection, or null. */
  match(c: StreamConnection): StreamRouteEntry | null {
    const source = parseIp(c.sourceIp);
    const destination = parseIp(c.destinationIp);
    const sni = c.sni === null ? null : normalizeSni(c.sni);
    for (const e of this.entries) {
      if (c.accept === 'tcp' ? !e.protocols.has('tcp') : !e.protocols.has('tls') && !e.protocols.has('tls_passthrough')) continue;
      if (!endpointsMatch(e.sources, source, c.sourcePort)) continue;
      if (!endpointsMatch(e.destinations, destination, c.destinationPort)) continue;
      if (e.snis.length > 0 && !sniMatches(e.snis, sni)) continue;
      return e;
    }
    return null;
  }
}

const routers = new WeakMap<GatewayConfig, StreamRouter>();

/** The stream router of a config, built on first use and kept as long as the config is. */
export function streamRouterOf(config: GatewayConfig): StreamRouter {
  let router = routers.get(config);
  if (router === undefined) {
    router = new StreamRouter(config.routes, new Set(config.services.filter((s) => !s.enabled).map((s) => s.id)));
    routers.set(config, router);
  }
  return router;
}
