import { isStreamRoute, type Consumer, type GatewayConfig, type Service } from '@gatehouse/protocol';
import { ServiceBalancer } from '../balancer/service-balancer';
import { compileBalancers, type UpstreamBalancer } from '../balancer/upstream-balancer';
import { compilePluginSteps } from '../plugins/compile';
import { resolveCertificates } from '../vault/resolve';
import type { PluginRuntime } from '../plugins/runtime';
import type { Router, RouterFactory, RouterRoute } from '../router/types';
import { serverName, type PoolTarget, type UpstreamPools } from '../upstream/pools';
import { UpstreamTlsResolver, type UpstreamTls } from '../upstream/tls-options';
import type { CompiledConfig, CompiledRoute, CompiledService } from './compiled';
import { pluginPlanKeySteps } from './plugin-plan-key';
import { runSteps, type Steps } from './steps';

/** Services or routes compiled between two yields. */
const STEP = 64;

const PROXYABLE: Partial<Record<Service['protocol'], 'http' | 'https'>> = {
  http: 'http',
  https: 'https',
  ws: 'http',
  wss: 'https',
  grpc: 'http',
  grpcs: 'https',
};

/** The pool a service's requests use (its host as SNI for https, its TLS settings): kept as `h2Target`, the same at the swap (`UpstreamPools.retainOnly`). */
export function serviceTarget(s: Service, tls: UpstreamTls | null = null): PoolTarget {
  const scheme = PROXYABLE[s.protocol] ?? 'http';
  const https = scheme === 'https';
  return { scheme, host: s.host, port: s.port, connectTimeout: s.connect_timeout, servername: https ? serverName(s.host) : undefined, tls: https ? tls : null };
}

/** Every pool a compiled service uses: its host's, and one per target when it is balanced over an upstream. */
export function servicePoolTargets(s: CompiledService): PoolTarget[] {
  const own = s.h2Target;
  return s.balancer === null ? [own] : [own, ...s.balancer.poolTargets()];
}

function compileService(s: Service, pools: UpstreamPools, balancers: ReadonlyMap<string, UpstreamBalancer>, tlsResolver: UpstreamTlsResolver): CompiledService {
  const scheme = PROXYABLE[s.protocol] ?? 'http';
  // https (and stream tls) services' tls_verify, tls_verify_depth, ca_certificates and client_certificate (upstream/tls-options.ts).
  const upstreamTls = tlsResolver.resolve(s);
  const target = serviceTarget(s, upstreamTls);
  // A service whose host names an upstream is balanced over the upstream's targets (Kong).
  const upstream = balancers.size === 0 ? undefined : balancers.get(s.host.toLowerCase());
  const defaultPort = scheme === 'https' ? 443 : 80;
  const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
  return {
    id: s.id,
    name: s.name,
    protocol: s.protocol,
    scheme,
    proxyable: PROXYABLE[s.protocol] !== undefined,
    grpc: s.protocol === 'grpc' || s.protocol === 'grpcs',
    h2: pools.h2,
    h2Target: target,
    upstreamTls,
    host: s.host,
    port: s.port,
    path: s.path,
    hostHeader: s.port === defaultPort ? host : `${host}:${s.port}`,
    retries: s.retries,
    connectTimeout: s.connect_timeout,
    writeTimeout: s.write_timeout,
    readTimeout: s.read_timeout,
    pool: pools.get(target),
    poolFor: (name) => pools.forClientSni({ ...target, servername: name }),
    reopenPool: () => pools.get(target),
    balancer: upstream === undefined ? null : new ServiceBalancer(upstream, s, scheme, pools, target.tls),
    raw: s,
  };
}

/** The upstream TLS settings the serving config built, by key: an unchanged service keeps its own (and so its pools). */
function previousTls(previous: CompiledConfig | null | undefined): Map<string, UpstreamTls> {
  const byKey = new Map<string, UpstreamTls>();
  if (previous) for (const s of previous.services.values()) if (s.upstreamTls !== null) byKey.set(s.upstreamTls.key, s.upstreamTls);
  return byKey;
}

/** Everything `compileConfig` needs besides the config. */
export interface CompileOptions {
  /** Plugin state kept across snapshots (counters, Redis connections). */
  pluginRuntime: PluginRuntime;
  pools: UpstreamPools;
  routerFactory: RouterFactory;
  /** Builds the router in steps (yielding between them); when absent, `routerFactory` builds it in one. */
  routerSteps?: <T>(routes: readonly RouterRoute<T>[]) => Steps<Router<T>>;
  /** The config serving now: its plugin plan is reused when the plugins' inputs are unchanged. */
  previous?: CompiledConfig | null;
}

/**
 * Compiles a validated config into an immutable CompiledConfig. Routes of a
 * disabled service are left out of the router (Kong: "as if they did not
 * exist", so they answer 404). Throws an Error with a readable message naming
 * the entity when the config cannot be compiled (dangling reference, bad
 * regex, unknown plugin or plugin config).
 */
export function compileConfig(config: GatewayConfig, meta: { version: number; hash: string }, options: CompileOptions): CompiledConfig {
  return runSteps(compileConfigSteps(config, meta, options));
}

/**
 * `compileConfig` as a step generator (engine/steps.ts): it yields every few
 * services, plugins and routes, and while building the router when
 * `routerSteps` is given (else the router is one step). Nothing
 * is shared with the serving config until it returns, except the reused
 * plugin plan and the keep-alive pools, which are immutable or live across
 * configs by design.
 */
export function* compileConfigSteps(config: GatewayConfig, meta: { version: number; hash: string }, options: CompileOptions): Steps<CompiledConfig> {
  const balancers = compileBalancers(config, options.previous?.balancers);
  // Certificates' {vault://...} references resolved once per apply; the TLS listener and upstream client certificates read them from here.
  const resolved = resolveCertificates(config, options.pluginRuntime.log);
  const tlsResolver = new UpstreamTlsResolver(resolved, previousTls(options.previous), options.pluginRuntime.log);
  const services = new Map<string, CompiledService>();
  for (const s of config.services) {
    services.set(s.id, compileService(s, options.pools, balancers, tlsResolver));
    if (services.size % STEP === 0) yield;
  }
  const consumers = new Map<string, Consumer>();
  for (const c of config.consumers) consumers.set(c.id, c);
  yield;
  const planKey = yield* pluginPlanKeySteps(config);
  const previous = options.previous;
  const plugins = previous?.pluginPlanKey === planKey ? previous.pluginPlan : yield* compilePluginSteps(config, options.pluginRuntime);
  const routes = new Map<string, CompiledRoute>();
  const routerRoutes: RouterRoute<CompiledRoute>[] = [];
  let n = 0;
  for (const r of config.routes) {
    if (++n % STEP === 0) yield;
    // Stream routes (tcp, tls, tls_passthrough) are matched by the stream proxy (stream/), never by HTTP requests.
    if (isStreamRoute(r)) continue;
    let service: CompiledService | null = null;
    if (r.service) {
      service = services.get(r.service.id) ?? null;
      if (!service) throw new Error(`routes: ${r.id} refers to service ${r.service.id}, which is not in the config`);
      if (!service.raw.enabled) continue;
    }
    const protocols = new Set<string>(r.protocols);
    const compiled: CompiledRoute = {
      id: r.id,
      name: r.name,
      service,
      stripPath: r.strip_path,
      preserveHost: r.preserve_host,
      pathHandling: r.path_handling,
      protocols,
      grpc: protocols.has('grpc') || protocols.has('grpcs'),
      httpsOnly: protocols.has('https') && !protocols.has('http'),
      httpsRedirectStatus: r.https_redirect_status_code,
      chain: plugins.chainFor(r.id),
      raw: r,
    };
    routes.set(r.id, compiled);
    routerRoutes.push({
      id: r.id,
      created_at: r.created_at,
      methods: r.methods,
      hosts: r.hosts,
      paths: r.paths,
      headers: r.headers,
      snis: r.snis,
      regex_priority: r.regex_priority,
      payload: compiled,
    });
  }
  yield;
  const router = options.routerSteps ? yield* options.routerSteps(routerRoutes) : options.routerFactory(routerRoutes);
  return {
    version: meta.version,
    hash: meta.hash,
    router,
    routes,
    services,
    balancers,
    consumers,
    globalChain: plugins.global,
    pluginPlan: plugins,
    pluginPlanKey: planKey,
    config: resolved,
    appliedAt: Date.now(),
  };
}
