import { GATEWAY_ENTITIES, entitySpec, referencesTo, type EntitySpec } from '../registry';
import { CURRENT_FORMAT_VERSION } from './format-version';
import type { DeclarativeState, StateEntity, StateKind } from './state';

/** How a dump is written. */
export interface DumpOptions {
  /** Write each entity's id (decK's `--with-id`); off by default, as files match by name. */
  withIds?: boolean;
}

type Doc = Record<string, unknown>;
type Entity = StateEntity<Record<string, unknown>>;

const byKey = (a: Entity, b: Entity): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// Nulls and empty lists or maps are the defaults a reader fills in again, so a dump leaves them out.
function compact(fields: Record<string, unknown>, drop: ReadonlySet<string>): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(fields)) {
    if (drop.has(k) || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (k === 'headers' && typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** The reference an entity is nested under: its one set nesting reference (a plugin of one route), else none. */
function homeOf(spec: EntitySpec, e: Entity): { field: string; key: string } | undefined {
  const set = spec.references.filter((r) => e.fields[r.field] !== null && e.fields[r.field] !== undefined);
  const nestable = set.filter((r) => r.nested);
  if (set.length !== 1 || nestable.length !== 1) return undefined;
  const field = (nestable[0] as { field: string }).field;
  return { field, key: e.fields[field] as string };
}

/**
 * Whether an entity is written with its id even without `withIds`: one that
 * has no name yet is referred to from another entry than its parent (a
 * service's `client_certificate`, an id in `ca_certificates`), which only
 * its id can name — as decK dumps certificates.
 */
function namedOnlyById(spec: EntitySpec): boolean {
  if (spec.lookupNames.length > 0) return false;
  return referencesTo(spec.name).some((r) => !r.reference.nested) || GATEWAY_ENTITIES.some((e) => e.idLists.some((l) => l.entity === spec.name));
}

/**
 * Writes a flat state as a declarative file in the 3.0 format, shaped by the
 * entity registry: an entity with exactly one reference set is nested in the
 * entry it refers to (routes in their service, a route's plugins in that
 * route, credentials in their consumer); others (global plugins, plugins of
 * several scopes, routes without a service) stay at the top level, naming
 * what they refer to. Plaintext secrets never appear: a field the registry
 * marks secret is written only when the snapshot ships it (`key_hash`,
 * `password_hash`), so reading the dump back gives the same state.
 */
export function stateToFile(state: DeclarativeState, options: DumpOptions = {}): Doc {
  const lists = state as unknown as Record<StateKind, Entity[]>;
  const withId = (kind: StateKind, e: Entity, body: Doc): Doc =>
    (options.withIds || namedOnlyById(entitySpec(kind))) && e.id !== undefined ? { id: e.id, ...body } : body;
  const nestedUnder = new Map<string, { kind: StateKind; entity: Entity }[]>();
  const topLevel = new Map<StateKind, Entity[]>();
  for (const spec of GATEWAY_ENTITIES) {
    for (const e of [...lists[spec.name]].sort(byKey)) {
      const home = homeOf(spec, e);
      const parentKind = home && spec.references.find((r) => r.field === home.field)?.entity;
      // A parent the state lacks (left out by select tags) cannot hold it: it is written at the top level, naming it.
      if (home && parentKind && lists[parentKind as StateKind].some((p) => p.key === home.key)) {
        const slot = `${parentKind}\n${home.key}`;
        nestedUnder.set(slot, [...(nestedUnder.get(slot) ?? []), { kind: spec.name, entity: e }]);
      } else topLevel.set(spec.name, [...(topLevel.get(spec.name) ?? []), e]);
    }
  }
  // A top-level reference is written as the target's name; an unnamed target can only be named by id.
  const refName = (kind: StateKind, key: string): string => {
    const target = lists[kind].find((e) => e.key === key);
    if (!target) return key;
    const name = entitySpec(kind)
      .lookupNames.map((n) => target.fields[n])
      .find((v) => typeof v === 'string');
    return name ?? target.id ?? key;
  };
  const write = (kind: StateKind, e: Entity, nestedIn?: string): Doc => {
    const spec = entitySpec(kind);
    const snapshotFields = Object.keys(spec.snapshot.shape);
    const drop = new Set([...spec.references.map((r) => r.field), ...spec.secretFields.filter((f) => !snapshotFields.includes(f))]);
    const refs: Doc = {};
    for (const r of spec.references)
      if (r.field !== nestedIn && typeof e.fields[r.field] === 'string') refs[r.field] = refName(r.entity as StateKind, e.fields[r.field] as string);
    let body = withId(kind, e, { ...compact(e.fields, drop), ...refs });
    for (const child of nestedUnder.get(`${kind}\n${e.key}`) ?? []) {
      const list = (body[child.kind] as Doc[] | undefined) ?? [];
      const childRef = entitySpec(child.kind).references.find((r) => r.entity === kind && r.nested)?.field;
      body = { ...body, [child.kind]: [...list, write(child.kind, child.entity, childRef)] };
    }
    return body;
  };
  const doc: Doc = { _format_version: CURRENT_FORMAT_VERSION };
  for (const [kind, entities] of topLevel) doc[kind] = entities.map((e) => write(kind, e));
  return doc;
}
