import type { Consumer, GatewayConfig, Route, Service } from '@gatehouse/protocol';
import type { Router } from '../router/types';
import type { PluginChain } from '../plugins/chain';
import type { PluginPlan } from '../plugins/compile';
import type { Pool } from 'undici';
import type { ServiceBalancer } from '../balancer/service-balancer';
import type { UpstreamBalancer } from '../balancer/upstream-balancer';
import type { H2Sessions } from '../upstream/h2-sessions';
import type { PoolTarget } from '../upstream/pools';
import type { UpstreamTls } from '../upstream/tls-options';

/** A gateway service, ready for proxying: everything a request needs, precomputed. */
export interface CompiledService {
  readonly id: string;
  readonly name: string | null;
  readonly protocol: Service['protocol'];
  /** http or https: what the proxy speaks to the upstream (ws and grpc → http, wss and grpcs → https). */
  readonly scheme: 'http' | 'https';
  /** False for protocols this proxy cannot carry (tcp, …): requests get 503. */
  readonly proxyable: boolean;
  /** A grpc or grpcs service: requests go upstream over HTTP/2 (grpc/exchange.ts), h2c or TLS by `scheme`. */
  readonly grpc: boolean;
  /** The HTTP/2 sessions gRPC calls use, and the origin of this service's (its host as TLS name for grpcs). */
  readonly h2: H2Sessions;
  readonly h2Target: PoolTarget;
  /**
   * The service's upstream TLS settings (tls_verify, tls_verify_depth,
   * ca_certificates, client_certificate), null when it sets none: part of
   * its pool targets for https, used by stream `tls` services' connections.
   */
  readonly upstreamTls: UpstreamTls | null;
  readonly host: string;
  readonly port: number;
  readonly path: string | null;
  /** The Host header sent upstream without preserve_host: host, plus `:port` unless it is the scheme's default. */
  readonly hostHeader: string;
  readonly retries: number;
  readonly connectTimeout: number;
  readonly writeTimeout: number;
  readonly readTimeout: number;
  /** Keep-alive connections to the upstream, with the service's host as SNI (https). */
  readonly pool: Pool;
  /** The pool for another SNI: Kong sends the Host header's name as SNI, so a preserve_host route's TLS name is the client's host. */
  poolFor(serverName: string | undefined): Pool;
  /**
   * The service's pool asked for again: `pool` itself while it serves, else a
   * live one for the same upstream. For a request that outlived the config it
   * started with, whose pool was retired and closed (upstream/pools.ts).
   */
  reopenPool(): Pool;
  /** Set when the service's host names an upstream: requests go to the upstream's targets (balancer/). */
  readonly balancer: ServiceBalancer | null;
  readonly raw: Service;
}

/** A route, ready for proxying. */
export interface CompiledRoute {
  readonly id: string;
  readonly name: string | null;
  /** Null for a route with no service (Kong answers 503). */
  readonly service: CompiledService | null;
  readonly stripPath: boolean;
  readonly preserveHost: boolean;
  readonly pathHandling: 'v0' | 'v1';
  readonly protocols: ReadonlySet<string>;
  /** A grpc/grpcs route: it takes only gRPC requests over HTTP/2 (Kong's 415 and 426 otherwise). */
  readonly grpc: boolean;
  /** https allowed and http not: a plain-HTTP request gets `httpsRedirectStatus`. */
  readonly httpsOnly: boolean;
  readonly httpsRedirectStatus: number;
  /** This route's plugins (every scope resolved), precompiled; size 0 when none. */
  readonly chain: PluginChain;
  readonly raw: Route;
}

/**
 * One immutable, compiled snapshot. The engine swaps it whole; a request
 * reads the current one once and uses it to the end, so a config change
 * never shows a request half of each version.
 */
export interface CompiledConfig {
  readonly version: number;
  readonly hash: string;
  readonly router: Router<CompiledRoute>;
  readonly routes: ReadonlyMap<string, CompiledRoute>;
  readonly services: ReadonlyMap<string, CompiledService>;
  /** The upstreams' balancers, by upstream name in lower case (reused by the next config while unchanged). */
  readonly balancers: ReadonlyMap<string, UpstreamBalancer>;
  readonly consumers: ReadonlyMap<string, Consumer>;
  /** Global plugins, for requests that match no route. */
  readonly globalChain: PluginChain;
  /** The plugin chains of every route, and what they were computed from (reused by the next apply when equal). */
  readonly pluginPlan: PluginPlan;
  readonly pluginPlanKey: string;
  readonly config: GatewayConfig;
  /** Date.now() when it was applied. */
  readonly appliedAt: number;
}
