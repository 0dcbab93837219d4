import { issuesToFields } from '@gatehouse/protocol';
import type { z } from 'zod';

/** A form's check result: the parsed value, or the API's field messages. */
export type Checked<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

/**
 * Checks `input` with a protocol schema, the same one the API uses, so the
 * form refuses exactly what the API would and names the same fields.
 */
export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, fields: issuesToFields(parsed.error.issues) };
}

/**
 * The message for one form field: an exact match, or the first message about
 * an item of it (`paths[1]` for `paths`) — prefixed by `prefix` when the API
 * nests the body (`route.` in an implementation).
 */
export function fieldError(fields: Record<string, string>, name: string, prefix = ''): string | undefined {
  const key = prefix + name;
  if (fields[key] !== undefined) return fields[key];
  const item = Object.keys(fields).find((k) => k.startsWith(`${key}[`) || k.startsWith(`${key}.`));
  return item === undefined ? undefined : fields[item];
}

/** Keeps only the messages under `prefix` (e.g. `service.`), with the prefix removed. */
export function fieldsUnder(fields: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** The same messages with `prefix` (e.g. `service.`) put before each field name. */
export function withPrefix(prefix: string, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [prefix + k, v]));
}

/**
 * Drops the messages of the fields that changed between two form states, so
 * an error disappears as soon as the user edits the field it is about. A
 * message is about field `f` when its key (after `prefix`) is `f`, `f[…]` or `f.…`.
 */
export function withoutChanged<T extends object>(fields: Record<string, string>, before: T, after: T, prefix = ''): Record<string, string> {
  const changed = (Object.keys(after) as (keyof T)[]).filter((k) => before[k] !== after[k]).map(String);
  if (changed.length === 0) return fields;
  const out: Record<string, string> = {};
  for (const [key, why] of Object.entries(fields)) {
    const rest = key.startsWith(prefix) ? key.slice(prefix.length) : null;
    const field = rest?.split(/[[.]/)[0];
    if (field === undefined || !changed.includes(field)) out[key] = why;
  }
  return out;
}
