import type { Problems, FilePath } from './problems';
import { fieldPath } from '../errors';
import type { PendingEntity, PendingRef } from './walk';
import type { RefField } from './kinds';
import { KINDS } from './kinds';
import { STATE_KINDS, emptyState, stateKeyOf, type DeclarativeState, type StateEntity, type StateKind } from './state';
import { GATEWAY_ENTITIES, entitySpec } from '../registry';

/** Lookup of the entries of one kind by id and by the names a reference may use. */
interface Index {
  byId: Map<string, PendingEntity>;
  byName: Map<string, PendingEntity>;
  keys: Map<PendingEntity, string>;
}

function namesOf(e: PendingEntity): string[] {
  return entitySpec(e.kind)
    .lookupNames.map((n) => e.fields[n])
    .filter((n): n is string => typeof n === 'string');
}

/** Describes a reference for a message: `"svc-a"` or `{"id":"…"}`. */
function show(raw: unknown): string {
  return typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw);
}

function lookup(index: Index, raw: unknown, kind: StateKind): PendingEntity | undefined | 'malformed' {
  if (typeof raw === 'string') return index.byId.get(raw) ?? index.byName.get(raw);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'malformed';
  // `name` is accepted for any kind, as decK writes `consumer: {name: …}` too.
  const allowed = ['id', 'name', ...entitySpec(kind).lookupNames];
  const entries = Object.entries(raw as Record<string, unknown>);
  const [first] = entries;
  if (entries.length !== 1 || first === undefined) return 'malformed';
  const [field, value] = first;
  if (!allowed.includes(field) || typeof value !== 'string') return 'malformed';
  return field === 'id' ? index.byId.get(value) : index.byName.get(value);
}

/**
 * Turns the walked entries into the flat state: references become the key of
 * the entity they name, each entity gets its key, and duplicates are
 * reported at the field that makes them the same.
 */
export function resolveEntities(pending: PendingEntity[], problems: Problems): DeclarativeState {
  const state = emptyState();
  const indexes = Object.fromEntries(STATE_KINDS.map((kind) => [kind, { byId: new Map(), byName: new Map(), keys: new Map() }])) as Record<StateKind, Index>;
  // Invalid entries are indexed too, so a reference to one is not reported a second time as missing.
  for (const e of pending) {
    const index = indexes[e.kind];
    if (e.id !== undefined) {
      const other = index.byId.get(e.id);
      if (other) problems.add([...e.path, 'id'], `duplicate id (also at ${fieldPath(other.path)})`);
      else index.byId.set(e.id, e);
    }
    for (const name of namesOf(e)) if (!index.byName.has(name)) index.byName.set(name, e);
  }

  checkDuplicateNames(pending, problems);

  const resolveRef = (field: RefField, targetKind: StateKind, ref: PendingRef | undefined): string | null | undefined => {
    if (ref === undefined) return null;
    const index = indexes[targetKind];
    if ('parent' in ref) return index.keys.get(ref.parent);
    const target = lookup(index, ref.raw, targetKind);
    if (target === 'malformed') problems.add(ref.path, `must be a ${field} name or id, or an object with one of them`);
    else if (target === undefined) problems.add(ref.path, `no ${KINDS[targetKind].noun} ${show(ref.raw)} in this file`);
    else if (target.valid) return index.keys.get(target);
    return undefined;
  };

  // Kinds in parent-first order, so a child's reference finds its parent's key.
  for (const kind of STATE_KINDS) {
    const index = indexes[kind];
    const seen = new Map<string, FilePath>();
    for (const e of pending) {
      if (e.kind !== kind || !e.valid) continue;
      const fields: Record<string, unknown> = { ...e.fields };
      let ok = true;
      for (const [field, ref] of Object.entries(KINDS[kind].refs)) {
        const key = resolveRef(field, ref.kind, e.refs[field]);
        if (key === undefined) ok = false;
        else fields[field] = key;
      }
      if (!ok) continue;
      const key = stateKeyOf(kind, fields);
      const dup = seen.get(key);
      if (dup) {
        const spec = entitySpec(kind);
        const field = spec.keyField(fields);
        // A key made of a secret (a key-auth key) is never echoed.
        const label = spec.secretFields.includes(field) ? '' : ` ${show(key)}`;
        problems.add([...e.path, field], `duplicate ${spec.noun}${label} (also at ${fieldPath(dup)})`);
        continue;
      }
      seen.set(key, e.path);
      index.keys.set(e, key);
      const entity: StateEntity<Record<string, unknown>> = { key, source: fieldPath(e.path), fields };
      if (e.id !== undefined) entity.id = e.id;
      (state[kind] as StateEntity<Record<string, unknown>>[]).push(entity);
    }
  }
  checkSecondaryUniques(state, problems);
  checkIdLists(state, problems);
  return state;
}

/** Every id in an id list (a service's `ca_certificates`) is the id of an entity of the file. */
function checkIdLists(state: DeclarativeState, problems: Problems): void {
  for (const spec of GATEWAY_ENTITIES) {
    for (const list of spec.idLists) {
      const ids = new Set((state[list.entity as StateKind] as StateEntity<unknown>[]).map((e) => e.id));
      for (const e of state[spec.name] as StateEntity<Record<string, unknown>>[]) {
        const listed = e.fields[list.field];
        const missing = (Array.isArray(listed) ? (listed as string[]) : []).find((id) => !ids.has(id));
        if (missing !== undefined) problems.add([...pathOf(e.source), list.field], `no ${entitySpec(list.entity).noun} with id "${missing}" in this file`);
      }
    }
  }
}

/**
 * Names must be unique whatever else is wrong with an entry, so a file with a
 * bad route and a duplicate route name reports both at once.
 */
function checkDuplicateNames(pending: PendingEntity[], problems: Problems): void {
  for (const { name: kind, noun, lookupNames } of GATEWAY_ENTITIES) {
    for (const field of lookupNames) {
      const seen = new Map<string, FilePath>();
      for (const e of pending) {
        const value = e.kind === kind ? e.fields[field] : undefined;
        if (typeof value !== 'string') continue;
        const first = seen.get(value);
        // The first lookup name is the entity's own name (`duplicate consumer "x"`); others are named as fields.
        const what = field === lookupNames[0] ? noun : field;
        if (first) problems.add([...e.path, field], `duplicate ${what} "${value}" (also at ${fieldPath(first)})`);
        else seen.set(value, e.path);
      }
    }
  }
}

/** Uniques beyond the key: a plugin's instance_name, a key-auth key across consumers. */
function checkSecondaryUniques(state: DeclarativeState, problems: Problems): void {
  const check = <F>(list: StateEntity<F>[], field: string, value: (f: F) => unknown, secret = false): void => {
    const seen = new Map<unknown, string | undefined>();
    for (const e of list) {
      const v = value(e.fields);
      if (v === null || v === undefined) continue;
      const shown = secret ? '' : ` ${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`;
      if (seen.has(v)) problems.add([...pathOf(e.source), field], `duplicate ${field}${shown} (also at ${seen.get(v) ?? '?'})`);
      else seen.set(v, e.source);
    }
  };
  for (const spec of GATEWAY_ENTITIES) {
    for (const field of spec.alsoUnique)
      check(state[spec.name] as StateEntity<Record<string, unknown>>[], field, (f) => f[field], spec.secretFields.includes(field));
  }
}

/** Parses `services[0].routes[1]` back into path parts, for reporting on a resolved entity. */
function pathOf(source: string | undefined): FilePath {
  if (!source) return [];
  const parts: PropertyKey[] = [];
  for (const m of source.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  return parts;
}
