import { entitySpec, type StateKind } from '@gatehouse/protocol';
import { columnOf, referenceColumn, sealFields } from '../crud/codec';

/**
 * A state entity's fields as row data: each field to its column (by the
 * CRUD's naming rule), each reference (from the entity's registry entry) to
 * the id of the entity it names; sealed fields sealed. `idOf` answers the id for a key of a kind;
 * a missing one is a bug in the plan's order and throws.
 */
export function rowData(kind: StateKind, fields: Record<string, unknown>, idOf: (kind: StateKind, key: string) => string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const spec = entitySpec(kind);
  const refs = spec.references;
  // Private keys are stored sealed, as the API stores them.
  for (const [field, value] of Object.entries(sealFields(spec.sealedFields, fields))) {
    if (value === undefined) continue;
    const ref = refs.find((r) => r.field === field);
    if (ref) data[referenceColumn(field)] = value === null ? null : idOf(ref.entity as StateKind, value as string);
    else data[columnOf(field)] = value;
  }
  return data;
}
