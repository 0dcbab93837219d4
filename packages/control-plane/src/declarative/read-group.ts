import { stateFromStored, type DeclarativeState, type StoredEntities } from '@gatehouse/protocol';
import type { Tx } from '../crud/entity';
import { readStoredEntities } from '../snapshot/stored-entities';

/**
 * Reads every gateway entity of a runtime group, in the snapshot's shapes,
 * inside the caller's transaction (so a sync plans against exactly what it
 * then changes), and answers it as a declarative state.
 */
export async function readGroupState(tx: Tx, runtimeGroupId: string): Promise<DeclarativeState> {
  const stored: Record<string, unknown[]> = {};
  for (const [name, rows] of await readStoredEntities(tx, runtimeGroupId)) stored[name] = rows;
  return stateFromStored(stored as StoredEntities);
}
