import { z } from 'zod';

/** Zod's error option giving Kong's message for a missing required field. */
export function required(otherwise: string) {
  return { error: (iss: { input?: unknown }) => (iss.input === undefined ? 'required field missing' : otherwise) };
}

/** A Kong `one_of` field: its message lists the values. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of: ${values.join(', ')}` });
}

/**
 * Kong's `custom_fields_by_lua` (a map of field name to Lua code). Accepted
 * only when unset or empty: Gatehouse's log plugins run no Lua, so a config
 * that needs it is refused rather than silently logging without the fields
 * (docs/PLUGINS.md). Zod only: schema files stay importable by the UI.
 */
export const customFieldsByLua = z
  .record(z.string(), z.string())
  .nullable()
  .default(null)
  .refine((v) => v === null || Object.keys(v).length === 0, {
    error: 'custom_fields_by_lua is not supported by Gatehouse (log plugins run no Lua); remove it or leave it empty',
  });

/** A host name or IP address (Kong's `typedefs.host`). */
export const hostField = z
  .string(required('expected a string'))
  .min(1, 'length must be at least 1')
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'invalid value: must be a host name or an IP address');

/** A port (Kong's `typedefs.port`). */
export const portField = z
  .number(required('expected a number'))
  .int('expected an integer')
  .min(0, 'value should be between 0 and 65535')
  .max(65535, 'value should be between 0 and 65535');
