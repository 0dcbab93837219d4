import { CURRENT_FORMAT_VERSION } from './format-version';
import type { DeclarativeState, StateEntity, StatePluginFields } from './state';

/** How a dump is written. */
export interface DumpOptions {
  /** Write each entity's id (decK's `--with-id`); off by default, as files match by name. */
  withIds?: boolean;
}

type Doc = Record<string, unknown>;

const byKey = <F>(a: StateEntity<F>, b: StateEntity<F>): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// Nulls and empty lists are the defaults a reader fills in again, so a dump leaves them out.
function compact(fields: Record<string, unknown>, drop: readonly string[]): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(fields)) {
    if (drop.includes(k) || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (k === 'headers' && typeof v === 'object' && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Writes a flat state as a declarative file in the 3.0 format: routes and
 * plugins nested in their service, plugins of one route in that route,
 * credentials, acls and plugins of one consumer in that consumer; plugins of
 * several scopes (and global ones) at the top level, naming what they apply
 * to. Key-auth keys appear only as `key_hash`, basic-auth passwords only as
 * `password_hash`: reading the dump back gives the same state.
 */
export function stateToFile(state: DeclarativeState, options: DumpOptions = {}): Doc {
  const withId = (e: StateEntity<unknown>, body: Doc): Doc => (options.withIds && e.id !== undefined ? { id: e.id, ...body } : body);
  // A reference is written as the target's name; an unnamed target can only be named by id.
  const refName = (list: StateEntity<Record<string, unknown>>[], key: string | null, name: (f: Record<string, unknown>) => unknown): string | null => {
    if (key === null) return null;
    const target = list.find((e) => e.key === key);
    if (!target) return key;
    return (name(target.fields) as string | null) ?? target.id ?? key;
  };
  const services = state.services as StateEntity<Record<string, unknown>>[];
  const routes = state.routes as StateEntity<Record<string, unknown>>[];
  const consumers = state.consumers as StateEntity<Record<string, unknown>>[];
  const scopeOf = (p: StatePluginFields): 'service' | 'route' | 'consumer' | 'top' => {
    const set = (['service', 'route', 'consumer'] as const).filter((f) => p[f] !== null);
    return set.length === 1 ? (set[0] as 'service' | 'route' | 'consumer') : 'top';
  };
  const plugins = [...state.plugins].sort(byKey);
  const nestedPlugins = (scope: 'service' | 'route' | 'consumer', key: string): Doc[] =>
    plugins.filter((p) => scopeOf(p.fields) === scope && p.fields[scope] === key).map((p) => withId(p, compact(p.fields, ['service', 'route', 'consumer'])));
  const withNested = (body: Doc, name: string, list: Doc[]): Doc => (list.length > 0 ? { ...body, [name]: list } : body);
  const routeDoc = (r: StateEntity<Record<string, unknown>>): Doc => withNested(withId(r, compact(r.fields, ['service'])), 'plugins', nestedPlugins('route', r.key));

  const doc: Doc = { _format_version: CURRENT_FORMAT_VERSION };
  doc.services = [...services].sort(byKey).map((s) => {
    const body = withNested(withId(s, compact(s.fields, [])), 'routes', [...routes].sort(byKey).filter((r) => r.fields.service === s.key).map(routeDoc));
    return withNested(body, 'plugins', nestedPlugins('service', s.key));
  });
  doc.routes = [...routes].sort(byKey).filter((r) => r.fields.service === null).map(routeDoc);
  doc.consumers = [...consumers].sort(byKey).map((c) => {
    let body = withId(c, compact(c.fields, []));
    const own = <F extends { consumer: string }>(list: StateEntity<F>[]): StateEntity<F>[] => [...list].sort(byKey).filter((e) => e.fields.consumer === c.key);
    body = withNested(body, 'keyauth_credentials', own(state.keyauth_credentials).map((k) => withId(k, compact({ ...k.fields }, ['consumer', 'key']))));
    body = withNested(body, 'basicauth_credentials', own(state.basicauth_credentials).map((b) => withId(b, compact({ ...b.fields }, ['consumer', 'password']))));
    body = withNested(body, 'acls', own(state.acls).map((a) => withId(a, compact({ ...a.fields }, ['consumer']))));
    return withNested(body, 'plugins', nestedPlugins('consumer', c.key));
  });
  doc.plugins = plugins
    .filter((p) => scopeOf(p.fields) === 'top')
    .map((p) => {
      const refs: Doc = {
        service: refName(services, p.fields.service, (f) => f.name),
        route: refName(routes, p.fields.route, (f) => f.name),
        consumer: refName(consumers, p.fields.consumer, (f) => f.username ?? f.custom_id),
      };
      return withId(p, { ...compact(p.fields, ['service', 'route', 'consumer']), ...compact(refs, []) });
    });
  for (const list of ['services', 'routes', 'consumers', 'plugins']) if ((doc[list] as Doc[]).length === 0) delete doc[list];
  return doc;
}
