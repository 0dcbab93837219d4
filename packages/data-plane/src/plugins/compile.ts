import type { GatewayConfig, Plugin } from '@gatehouse/protocol';
import { fieldPath } from '@gatehouse/protocol';
import { runSteps, type Steps } from '../engine/steps';
import { PluginChain, type ChainEntry, type PreparedInstance } from './chain';
import { ConsumerIndex } from './consumers';
import { PLUGIN_HANDLERS } from './handlers';
import { checkPluginConfig, PLUGIN_SCHEMAS } from './schemas';
import { resolveReferences, vaultSources } from '../vault/resolve';
import { ScopeIndex, type Resolution } from './scoping';
import type { PluginRuntime } from './runtime';
import type { PrepareEnv } from './types';

/** A snapshot's plugins cannot run on this DP (unknown plugin, bad config): the snapshot is rejected. */
export class PluginConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginConfigError';
  }
}

/**
 * The plugin chains of one snapshot: one per route, built when the snapshot
 * is applied and never changed (a new snapshot builds a new plan). Routes
 * with the same plugin instances share one chain object.
 */
export interface PluginPlan {
  /** The chain of a route; for null (no route matched) or an unknown id, the global chain. */
  chainFor(routeId: string | null): PluginChain;
  /** Global and consumer-only plugins: what runs for requests that match no route. */
  readonly global: PluginChain;
}

/** How many plugins or routes are handled between two yields of a step generator (each yield lets a sliced apply check its clock). */
const STEP = 16;

function* prepareAll(config: GatewayConfig, runtime: PluginRuntime): Steps<Map<string, PreparedInstance>> {
  const consumers = new ConsumerIndex(config);
  yield;
  const serviceNames = new Map(config.services.map((s) => [s.id, s.name ?? s.id]));
  yield;
  const routeNames = new Map(config.routes.map((r) => [r.id, r.name ?? r.id]));
  yield;
  const names: PrepareEnv['names'] = { service: (id) => serviceNames.get(id), route: (id) => routeNames.get(id) };
  const servicesById = new Map(config.services.map((s) => [s.id, s]));
  yield;
  const routesById = new Map(config.routes.map((r) => [r.id, r]));
  const entities: PrepareEnv['entities'] = { service: (id) => servicesById.get(id), route: (id) => routesById.get(id) };
  const sources = vaultSources(config);
  const out = new Map<string, PreparedInstance>();
  let n = 0;
  for (const p of config.plugins) {
    if (++n % STEP === 0) yield;
    if (!p.enabled) continue;
    const handler = PLUGIN_HANDLERS.get(p.name);
    if (handler === undefined) throw new PluginConfigError(`plugin '${p.name}' (${p.id}) is not available on this data plane`);
    // The DP checks again: a snapshot may come from a CP that stored a config before a default existed.
    const check = checkPluginConfig(p.name, p.config);
    if (!check.ok) {
      const first = check.issues[0];
      throw new PluginConfigError(`plugin '${p.name}' (${p.id}): ${fieldPath(['config', ...(first?.path ?? [])])}: ${first?.message ?? 'invalid'}`);
    }
    let conf: unknown;
    try {
      // Secret references resolve here, at each compile (docs/SECURITY.md); the stored config keeps the reference.
      const schema = PLUGIN_SCHEMAS.get(p.name);
      const resolved = schema ? resolveReferences(schema.config, check.config, sources, runtime.log, `plugin '${p.name}' (${p.id})`) : check.config;
      conf = handler.prepare(resolved, { consumers, runtime, pluginId: p.id, names, entities });
    } catch (err) {
      throw new PluginConfigError(`plugin '${p.name}' (${p.id}) could not be prepared: ${(err as Error).message}`, { cause: err });
    }
    const on = p.protocols;
    out.set(p.id, { pluginId: p.id, conf, http: on.includes('http'), https: on.includes('https'), grpc: on.includes('grpc'), grpcs: on.includes('grpcs') });
  }
  return out;
}

/** Orders a route's resolutions by priority (highest first; equal priorities by name) and signs them for sharing. */
function entriesOf(resolutions: Map<string, Resolution<Plugin>>, prepared: Map<string, PreparedInstance>): { entries: ChainEntry[]; signature: string } {
  const entries: ChainEntry[] = [];
  const sig: string[] = [];
  for (const res of resolutions.values()) {
    const handler = PLUGIN_HANDLERS.get(res.name);
    if (handler === undefined) continue;
    const base = res.base === null ? null : (prepared.get(res.base.id) ?? null);
    let byConsumer: Map<string, PreparedInstance> | null = null;
    const consumerSig: string[] = [];
    for (const [consumerId, p] of res.byConsumer) {
      const inst = prepared.get(p.id);
      if (inst === undefined) continue;
      (byConsumer ??= new Map()).set(consumerId, inst);
      consumerSig.push(`${consumerId}=${p.id}`);
    }
    if (base === null && byConsumer === null) continue;
    entries.push({ handler, base, byConsumer });
    sig.push(`${res.name}:${base?.pluginId ?? ''}:${consumerSig.sort().join(',')}`);
  }
  entries.sort((a, b) => b.handler.priority - a.handler.priority || (a.handler.name < b.handler.name ? -1 : 1));
  return { entries, signature: sig.sort().join('|') };
}

/**
 * Compiles a snapshot's plugins into per-route chains, as a generator that
 * yields every few plugins or routes so a caller may spread the work over
 * several turns of the event loop (engine/steps.ts); nothing it builds is
 * visible until it returns. Throws a PluginConfigError naming the plugin
 * when one is unknown or its config does not pass its schema (a DP may get
 * a snapshot from a newer CP).
 */
export function* compilePluginSteps(config: GatewayConfig, runtime: PluginRuntime): Steps<PluginPlan> {
  const prepared = yield* prepareAll(config, runtime);
  const index = new ScopeIndex(config.plugins);
  const shared = new Map<string, PluginChain>();
  const chainOf = (routeId: string | null, serviceId: string | null): PluginChain => {
    const { entries, signature } = entriesOf(index.resolve(routeId, serviceId), prepared);
    let chain = shared.get(signature);
    if (chain === undefined) shared.set(signature, (chain = new PluginChain(entries, runtime.log)));
    return chain;
  };
  const global = chainOf(null, null);
  const byRoute = new Map<string, PluginChain>();
  let n = 0;
  for (const r of config.routes) {
    if (++n % (STEP * 4) === 0) yield;
    byRoute.set(r.id, chainOf(r.id, r.service?.id ?? null));
  }
  return {
    global,
    chainFor: (routeId) => (routeId === null ? global : (byRoute.get(routeId) ?? global)),
  };
}

/** `compilePluginSteps` run to the end in one go. */
export function compilePlugins(config: GatewayConfig, runtime: PluginRuntime): PluginPlan {
  return runSteps(compilePluginSteps(config, runtime));
}
