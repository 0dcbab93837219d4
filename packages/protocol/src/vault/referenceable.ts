import { z } from 'zod';
import { looksLikeReference, parseReference, SECRET_NAME_PATTERN } from './reference';

/**
 * Kong's `referenceable = true`: the fields that may hold a secret reference
 * instead of a value. A field is marked by building it with `referenceable()`;
 * every schema walk below finds the marks in the schema itself, so the API,
 * the declarative check, the CLI, the UI and the data plane agree.
 */
const referenceableFields = z.registry<{ referenceable: true }>();

const referenceString = z.string().refine(looksLikeReference);

/**
 * Marks a string field referenceable: it accepts a `{vault://...}` reference
 * (checked by `referenceIssues`) or, as before, a value the inner schema accepts.
 * As in Kong, a reference skips the field's own checks (a PEM check, a length).
 */
export function referenceable<T extends z.ZodType>(inner: T): z.ZodUnion<readonly [typeof referenceString, T]> {
  // When neither fits, the answer is the inner schema's own message (not the union's "Invalid input").
  const field = z.union([referenceString, inner], { error: (issue) => firstInnerMessage(issue) });
  referenceableFields.add(field, { referenceable: true });
  return field;
}

function firstInnerMessage(issue: unknown): string | undefined {
  const errors = (issue as { errors?: { message?: string }[][] }).errors;
  return errors?.[1]?.[0]?.message;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const OPAQUE = new Set(['unknown', 'any']);

const WRAPPERS = new Set(['default', 'prefault', 'nullable', 'optional', 'nonoptional', 'readonly', 'catch']);

/** The schema under wrappers (default, nullable, pipe's input...), stopping at a referenceable mark. */
function unwrap(schema: z.ZodType): { schema: z.ZodType; referenceable: boolean } {
  let s = schema;
  for (let i = 0; i < 32; i++) {
    if (referenceableFields.has(s)) return { schema: s, referenceable: true };
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else break;
  }
  return { schema: s, referenceable: false };
}

/** The schema of an object's field, an array's element or a record's value; undefined when the schema says nothing. */
function child(schema: z.ZodType | undefined, key: string | number): z.ZodType | undefined {
  if (schema === undefined) return undefined;
  const def = defOf(schema);
  // Own keys only: `constructor` or `__proto__` in a body must not find Object's members.
  if (def.type === 'object' && typeof key === 'string') return def.shape && Object.prototype.hasOwnProperty.call(def.shape, key) ? def.shape[key] : undefined;
  if (def.type === 'array' && typeof key === 'number') return def.element;
  if (def.type === 'record' && typeof key === 'string') return def.valueType;
  return undefined;
}

const MAX_DEPTH = 64;

/** Calls `visit` for every string in `value` that looks like a reference, with its path and whether the schema allows one there. */
function walk(
  schema: z.ZodType | undefined,
  value: unknown,
  path: (string | number)[],
  visit: (ref: string, path: (string | number)[], allowed: boolean) => unknown,
): unknown {
  // Deeper than any schema goes: the schema refuses such a value anyway, and a hostile body must not exhaust the stack.
  if (path.length > MAX_DEPTH) return value;
  const u = schema === undefined ? undefined : unwrap(schema);
  // An `unknown` field is checked by a schema of its own elsewhere (a plugin's `config`, by its plugin's schema).
  if (u !== undefined && OPAQUE.has(defOf(u.schema).type)) return value;
  if (looksLikeReference(value)) return visit(value, path, u?.referenceable ?? false);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(child(u?.schema, i), item, [...path, i], visit);
      if (next !== item) (out ??= [...(value as unknown[])])[i] = next;
    });
    return out ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const next = walk(child(u?.schema, k), v, [...path, k], visit);
      if (next !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = next;
    }
    return out ?? value;
  }
  return value;
}

/** A problem with a reference in an input, its path relative to the value checked. */
export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

/** The message for a reference in a field Kong does not mark referenceable (Kong has none: it stores the text as a value). */
export const NOT_REFERENCEABLE = 'this field is not referenceable: a {vault://...} reference is accepted only in referenceable fields';

/**
 * Every reference in `value` that the schema refuses: in a field not marked
 * referenceable, or malformed (Kong's parse messages, and each vault's rules).
 * Run before the schema itself, so the answer names the field and says why.
 */
export function referenceIssues(schema: z.ZodType, value: unknown): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  walk(schema, value, [], (ref, path, allowed) => {
    if (!allowed) issues.push({ path, message: NOT_REFERENCEABLE });
    else {
      const parsed = parseReference(ref);
      if (!parsed.ok) issues.push({ path, message: parsed.error });
    }
    return ref;
  });
  return issues;
}

/**
 * `value` with every reference in a referenceable field replaced by what
 * `resolve` answers for it (a new object where something changed; the input
 * is never modified). Used by the data plane when it compiles a config.
 */
export function mapReferences<T>(schema: z.ZodType, value: T, resolve: (ref: string, path: (string | number)[]) => string): T {
  return walk(schema, value, [], (ref, path, allowed) => (allowed ? resolve(ref, path) : ref)) as T;
}

/**
 * The names of the `gatehouse` vault secrets referenced anywhere in a value
 * (a whole config, a plugin's config). No schema is needed: a reference can
 * only be stored in a referenceable field, where the API checked it.
 */
export function gatehouseSecretNames(value: unknown): Set<string> {
  const names = new Set<string>();
  walk(undefined, value, [], (ref) => {
    const parsed = parseReference(ref);
    if (parsed.ok && parsed.reference.vault === 'gatehouse' && SECRET_NAME_PATTERN.test(parsed.reference.resource)) names.add(parsed.reference.resource);
    return ref;
  });
  return names;
}
