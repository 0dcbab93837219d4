/** The parts of a plugin instance that decide where it applies. */
export interface ScopedPlugin {
  id: string;
  name: string;
  enabled: boolean;
  created_at: number;
  route: { id: string } | null;
  service: { id: string } | null;
  consumer: { id: string } | null;
}

/**
 * For one plugin name on one route: the instance that applies to requests
 * with no (or an unlisted) consumer, and the winner for each consumer that has
 * an instance of its own. `byConsumer` already accounts for every level, so a
 * lookup never needs a second comparison.
 */
export interface Resolution<P extends ScopedPlugin> {
  name: string;
  base: P | null;
  byConsumer: Map<string, P>;
}

/**
 * Kong's precedence, most specific first (docs/PLUGINS.md, Scoping and precedence):
 * route+service+consumer > route+consumer > service+consumer > route+service >
 * consumer > route > service > global. Lower is more specific.
 */
export function scopeLevel(p: ScopedPlugin): number {
  const r = p.route !== null;
  const s = p.service !== null;
  const c = p.consumer !== null;
  if (r && s && c) return 1;
  if (r && c) return 2;
  if (s && c) return 3;
  if (r && s) return 4;
  if (c) return 5;
  if (r) return 6;
  if (s) return 7;
  return 8;
}

/** Whether an instance is attached to this route/service (ignoring its consumer). */
function appliesTo(p: ScopedPlugin, routeId: string | null, serviceId: string | null): boolean {
  if (p.route !== null && p.route.id !== routeId) return false;
  if (p.service !== null && p.service.id !== serviceId) return false;
  return true;
}

/** Whether `a` outranks `b`: more specific; on a tie (not possible through the API), older, then by id. */
function better(a: ScopedPlugin, b: ScopedPlugin): boolean {
  const la = scopeLevel(a);
  const lb = scopeLevel(b);
  if (la !== lb) return la < lb;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at;
  return a.id < b.id;
}

/** Folds the instances attached to one route/service into its resolutions (every candidate must apply there). */
function resolveCandidates<P extends ScopedPlugin>(candidates: Iterable<P>): Map<string, Resolution<P>> {
  const out = new Map<string, Resolution<P>>();
  const consumerScoped: { p: P; res: Resolution<P>; consumerId: string }[] = [];
  for (const p of candidates) {
    let res = out.get(p.name);
    if (res === undefined) {
      res = { name: p.name, base: null, byConsumer: new Map() };
      out.set(p.name, res);
    }
    if (p.consumer !== null) consumerScoped.push({ p, res, consumerId: p.consumer.id });
    else if (res.base === null || better(p, res.base)) res.base = p;
  }
  // `better` is a total order, so the winners do not depend on the order candidates come in.
  for (const { p, res, consumerId } of consumerScoped) {
    const current = res.byConsumer.get(consumerId) ?? res.base;
    if (current === null || better(p, current)) res.byConsumer.set(consumerId, p);
  }
  return out;
}

/**
 * Resolves which instance of each plugin applies on a route (`routeId` null:
 * requests that matched no route, where only global and consumer-only
 * instances apply). Disabled instances are ignored, as in Kong: a disabled
 * route-level instance leaves the service or global one in force.
 *
 * This is the plain statement of the rule, O(plugins) per call; a snapshot
 * resolves every route through `ScopeIndex`, which answers the same.
 */
export function resolveScopes<P extends ScopedPlugin>(plugins: readonly P[], routeId: string | null, serviceId: string | null): Map<string, Resolution<P>> {
  return resolveCandidates(plugins.filter((p) => p.enabled && appliesTo(p, routeId, serviceId)));
}

function push<P>(map: Map<string, P[]>, key: string, p: P): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [p]);
  else list.push(p);
}

/**
 * A snapshot's enabled plugin instances filed by what they are attached to:
 * a route (with or without a service or consumer), a service (without a
 * route), or neither (global and consumer-only). Resolving one route then
 * visits only the instances that can apply to it, so resolving every route
 * of a snapshot is O(routes + plugins) instead of O(routes × plugins).
 * Invariant: `resolve(r, s)` equals `resolveScopes(plugins, r, s)`
 * (scoping.test.ts checks it on random plugin sets).
 */
export class ScopeIndex<P extends ScopedPlugin> {
  private readonly unattached: P[] = [];
  private readonly byRoute = new Map<string, P[]>();
  private readonly byService = new Map<string, P[]>();

  constructor(plugins: readonly P[]) {
    for (const p of plugins) {
      if (!p.enabled) continue;
      if (p.route !== null) push(this.byRoute, p.route.id, p);
      else if (p.service !== null) push(this.byService, p.service.id, p);
      else this.unattached.push(p);
    }
  }

  /** The resolutions on a route of `serviceId` (`routeId` null: requests that matched no route). */
  resolve(routeId: string | null, serviceId: string | null): Map<string, Resolution<P>> {
    const candidates: P[] = this.unattached.slice();
    if (routeId !== null) {
      // A route+service instance applies only when the route is on that very service.
      for (const p of this.byRoute.get(routeId) ?? []) if (p.service === null || p.service.id === serviceId) candidates.push(p);
    }
    if (serviceId !== null) for (const p of this.byService.get(serviceId) ?? []) candidates.push(p);
    return resolveCandidates(candidates);
  }
}
