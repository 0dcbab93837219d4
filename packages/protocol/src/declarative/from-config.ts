import type { GatewayConfig } from '../config';
import { entitySpec } from '../registry';
import { STATE_KINDS, emptyState, stateKeyOf, type DeclarativeState, type StateEntity } from './state';

type IdRef = { id: string } | null;
type Stored = { id: string; created_at?: number; updated_at?: number } & Record<string, unknown>;

/** A runtime group's stored entities: the snapshot's shape (GatewayConfig), `_format_version` and the shipped `_secrets` aside. */
export type StoredEntities = Omit<GatewayConfig, '_format_version' | '_secrets'>;

/**
 * The flat state of a runtime group from its stored entities (the shape the
 * snapshot ships): ids kept, timestamps dropped, `{id}` references turned
 * into the referenced entity's key, so it compares with a file's state. A
 * reference to an entity that is not there is kept as `id:<uuid>`, which no
 * file entity has, so the diff shows it rather than hiding it.
 */
export function stateFromStored(stored: StoredEntities): DeclarativeState {
  const state = emptyState();
  const keysById = new Map<string, string>();
  for (const kind of STATE_KINDS) {
    for (const row of stored[kind] as unknown as Stored[]) {
      const { id, created_at: _c, updated_at: _u, ...rest } = row;
      const fields: Record<string, unknown> = { ...rest };
      for (const { field } of entitySpec(kind).references) {
        const ref = rest[field] as IdRef | undefined;
        fields[field] = ref ? (keysById.get(ref.id) ?? `id:${ref.id}`) : null;
      }
      const key = stateKeyOf(kind, fields);
      keysById.set(id, key);
      (state[kind] as StateEntity<Record<string, unknown>>[]).push({ key, id, fields });
    }
  }
  return state;
}
