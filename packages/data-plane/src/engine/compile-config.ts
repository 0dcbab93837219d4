import type { Consumer, GatewayConfig, Service } from '@gatehouse/protocol';
import { compilePlugins } from '../plugins/compile';
import type { PluginRuntime } from '../plugins/runtime';
import type { RouterFactory, RouterRoute } from '../router/types';
import type { AgentPool } from '../upstream/agent-pool';
import type { CompiledConfig, CompiledRoute, CompiledService } from './compiled';
import { pluginPlanKey } from './plugin-plan-key';

const PROXYABLE: Partial<Record<Service['protocol'], 'http' | 'https'>> = { http: 'http', https: 'https', ws: 'http', wss: 'https' };

function compileService(s: Service, agents: AgentPool): CompiledService {
  const scheme = PROXYABLE[s.protocol] ?? 'http';
  const defaultPort = scheme === 'https' ? 443 : 80;
  const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
  return {
    id: s.id,
    name: s.name,
    protocol: s.protocol,
    scheme,
    proxyable: PROXYABLE[s.protocol] !== undefined,
    host: s.host,
    port: s.port,
    path: s.path,
    hostHeader: s.port === defaultPort ? host : `${host}:${s.port}`,
    retries: s.retries,
    connectTimeout: s.connect_timeout,
    writeTimeout: s.write_timeout,
    readTimeout: s.read_timeout,
    agent: agents.get(scheme, s.host, s.port),
    raw: s,
  };
}

/** Everything `compileConfig` needs besides the config. */
export interface CompileOptions {
  /** Plugin state kept across snapshots (counters, Redis connections). */
  pluginRuntime: PluginRuntime;
  agents: AgentPool;
  routerFactory: RouterFactory;
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
  const services = new Map<string, CompiledService>();
  for (const s of config.services) services.set(s.id, compileService(s, options.agents));
  const consumers = new Map<string, Consumer>();
  for (const c of config.consumers) consumers.set(c.id, c);
  const planKey = pluginPlanKey(config);
  const previous = options.previous;
  const plugins = previous && previous.pluginPlanKey === planKey ? previous.pluginPlan : compilePlugins(config, options.pluginRuntime);
  const routes = new Map<string, CompiledRoute>();
  const routerRoutes: RouterRoute<CompiledRoute>[] = [];
  for (const r of config.routes) {
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
      regex_priority: r.regex_priority,
      payload: compiled,
    });
  }
  const router = options.routerFactory(routerRoutes);
  return {
    version: meta.version,
    hash: meta.hash,
    router,
    routes,
    services,
    consumers,
    globalChain: plugins.global,
    pluginPlan: plugins,
    pluginPlanKey: planKey,
    config,
    appliedAt: Date.now(),
  };
}
