import type { OutgoingHttpHeaders } from 'node:http';

/**
 * The edit operations of request-transformer and response-transformer, in
 * Kong's order: remove, rename, replace (only what exists), add (only what
 * is missing), append (always). One implementation serves headers, query
 * arguments, form bodies and JSON bodies through the small Store interface.
 */

/** `name:value` split at the first colon. */
export interface Pair {
  name: string;
  value: string;
}

/** Parses Kong's colon strings (validated by the schema to contain ':'). */
export function splitPair(s: string): Pair {
  const i = s.indexOf(':');
  return { name: s.slice(0, i), value: s.slice(i + 1) };
}

/** One target's operations, prepared once per config apply. */
export interface Ops<V = string> {
  remove: string[];
  rename: { from: string; to: string }[];
  replace: { name: string; value: V }[];
  add: { name: string; value: V }[];
  append: { name: string; value: V }[];
}

/** A set of named fields the operations edit. */
export interface Store<V> {
  has(name: string): boolean;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  delete(name: string): void;
  append(name: string, value: V): void;
}

/** Whether the operations would do nothing (the target is then never parsed). */
export function isEmpty<V>(ops: Ops<V>): boolean {
  return ops.remove.length + ops.rename.length + ops.replace.length + ops.add.length + ops.append.length === 0;
}

/** Applies the operations in Kong's order. */
export function applyOps<V>(store: Store<V>, ops: Ops<V>): void {
  for (const name of ops.remove) store.delete(name);
  for (const { from, to } of ops.rename) {
    if (!store.has(from)) continue;
    const v = store.get(from);
    store.delete(from);
    store.set(to, v);
  }
  for (const { name, value } of ops.replace) if (store.has(name)) store.set(name, value);
  for (const { name, value } of ops.add) if (!store.has(name)) store.set(name, value);
  for (const { name, value } of ops.append) store.append(name, value);
}

/** Header names are compared lower-case; the header map's keys are lower-case. */
export function headerStore(h: OutgoingHttpHeaders): Store<string> {
  return {
    has: (n) => h[n] !== undefined,
    get: (n) => h[n],
    set: (n, v) => {
      h[n] = v as string | string[];
    },
    delete: (n) => {
      delete h[n];
    },
    append: (n, v) => {
      const cur = h[n];
      h[n] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [String(cur), v];
    },
  };
}

/** Query arguments or a urlencoded form. */
export function paramsStore(q: URLSearchParams): Store<string> {
  return {
    has: (n) => q.has(n),
    get: (n) => q.getAll(n),
    set: (n, v) => {
      q.delete(n);
      for (const one of Array.isArray(v) ? v : [v]) q.append(n, String(one));
    },
    delete: (n) => q.delete(n),
    append: (n, v) => q.append(n, v),
  };
}

/** A JSON object's top-level fields; append turns a value into an array (Kong's append_value). */
export function jsonStore<V>(o: Record<string, unknown>): Store<V> {
  return {
    has: (n) => Object.prototype.hasOwnProperty.call(o, n),
    get: (n) => o[n],
    set: (n, v) => {
      o[n] = v;
    },
    delete: (n) => {
      delete o[n];
    },
    append: (n, v) => {
      const cur = o[n];
      if (Array.isArray(cur)) cur.push(v);
      else if (cur === undefined || cur === null) o[n] = [v];
      else o[n] = [cur, v];
    },
  };
}

/** Prepares one target's operations from a transformer config section. */
export function compileOps<V = string>(
  section: { remove?: string[]; rename?: string[]; replace?: string[]; add?: string[]; append?: string[] },
  normalize: (name: string) => string = (n) => n,
  convert: (value: string, index: number, op: 'replace' | 'add' | 'append') => V = (v) => v as unknown as V,
): Ops<V> {
  const pairs = (list: string[] | undefined, op: 'replace' | 'add' | 'append'): { name: string; value: V }[] =>
    (list ?? []).map((s, i) => {
      const p = splitPair(s);
      return { name: normalize(p.name), value: convert(p.value, i, op) };
    });
  return {
    remove: (section.remove ?? []).map(normalize),
    rename: (section.rename ?? []).map((s) => {
      const p = splitPair(s);
      return { from: normalize(p.name), to: normalize(p.value) };
    }),
    replace: pairs(section.replace, 'replace'),
    add: pairs(section.add, 'add'),
    append: pairs(section.append, 'append'),
  };
}
