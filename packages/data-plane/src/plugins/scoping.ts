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
 * Kong's precedence, most specific first (CONTRACT.md §4):
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

/**
 * Resolves which instance of each plugin applies on a route (`routeId` null:
 * requests that matched no route, where only global and consumer-only
 * instances apply). Disabled instances are ignored, as in Kong: a disabled
 * route-level instance leaves the service or global one in force.
 */
export function resolveScopes<P extends ScopedPlugin>(plugins: readonly P[], routeId: string | null, serviceId: string | null): Map<string, Resolution<P>> {
  const out = new Map<string, Resolution<P>>();
  const consumerScoped: P[] = [];
  for (const p of plugins) {
    if (!p.enabled || !appliesTo(p, routeId, serviceId)) continue;
    let res = out.get(p.name);
    if (res === undefined) {
      res = { name: p.name, base: null, byConsumer: new Map() };
      out.set(p.name, res);
    }
    if (p.consumer !== null) consumerScoped.push(p);
    else if (res.base === null || better(p, res.base)) res.base = p;
  }
  for (const p of consumerScoped) {
    const res = out.get(p.name) as Resolution<P>;
    const consumerId = (p.consumer as { id: string }).id;
    const current = res.byConsumer.get(consumerId) ?? res.base;
    if (current === null || better(p, current)) res.byConsumer.set(consumerId, p);
  }
  return out;
}
