import { looksLikeReference, toTimestamp, type ReferenceSpec } from '@gatehouse/protocol';
import type { z } from 'zod';
import { openEntityKey, sealEntityKey } from '../certificates/entity-keys';
import type { EntityDef, Row } from './entity';

/** `connect_timeout` → `connectTimeout`: API fields map to Prisma columns by rule, not by list. */
export function columnOf(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The column holding a reference's id: `service` → `serviceId`. */
export function referenceColumn(field: string): string {
  return `${columnOf(field)}Id`;
}

const TIMESTAMP_FIELDS = new Set(['created_at', 'updated_at']);

/**
 * A stored row in one of its entity's shapes (the API answer, or the snapshot
 * the data planes get): exactly the fields of `shape`, references as `{id}`
 * or null, timestamps in whole seconds (as in Kong). Columns outside the
 * shape (runtime group, and secret hashes for the API answer) never leave.
 */
export function rowToShape(shape: z.ZodObject, references: readonly ReferenceSpec[], row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(shape.shape)) {
    if (references.some((r) => r.field === field)) {
      const id = row[referenceColumn(field)];
      out[field] = typeof id === 'string' ? { id } : null;
    } else if (TIMESTAMP_FIELDS.has(field)) {
      const at = row[columnOf(field)];
      if (at instanceof Date) out[field] = toTimestamp(at);
    } else {
      const value = row[columnOf(field)];
      if (value !== undefined) out[field] = value;
    }
  }
  return out;
}

/** A stored row as the API answers it (the entity's output schema). */
export function toApi(def: EntityDef, row: Row): Record<string, unknown> {
  return rowToShape(def.output, def.spec.references, row);
}

/**
 * The fields of a stored entity a client could have written, for PATCH to
 * merge a body into: the answer shape without id, timestamps and the
 * references only a nested path sets.
 */
export function writableFields(def: EntityDef, row: Row): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = toApi(def, row);
  for (const f of def.spec.computed) delete rest[f];
  // Sealed secrets are never answered, but a PATCH keeps them.
  Object.assign(rest, openSealed(def.spec.sealedFields, row));
  // A reference only the nested path sets (a target's upstream) is not the body's to write.
  for (const r of def.spec.references) if (!r.inBody) delete rest[r.field];
  return rest;
}

/** The sealed columns of a row, opened, by field (null stays null). */
export function openSealed(fields: readonly string[], row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = row[columnOf(f)];
    // A `{vault://...}` reference is stored as written (it names a secret, it is not one).
    if (v === null || typeof v === 'string') out[f] = typeof v === 'string' ? (looksLikeReference(v) ? v : openEntityKey(v)) : null;
  }
  return out;
}

/** Input with its sealed fields sealed for storage. */
export function sealFields(fields: readonly string[], input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const f of fields) if (typeof out[f] === 'string' && !looksLikeReference(out[f])) out[f] = sealEntityKey(out[f]);
  return out;
}

/**
 * Validated input as Prisma data: each field to its column, each foreign key
 * to its resolved id (`refs`, from resolveRefs).
 */
export function toData(def: EntityDef, input: Record<string, unknown>, refs: Record<string, string | null>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    // Computed fields are answered, never stored (a hook writes what they stand for).
    if (def.spec.computed.includes(field)) continue;
    const fk = def.foreignKeys.find((f) => f.field === field);
    if (fk) data[fk.column] = refs[field] ?? null;
    else data[columnOf(field)] = value;
  }
  return data;
}
