import { STATE_KINDS, type DeclarativeState, type StateEntity } from './state';

/**
 * decK's select tags, as a file declares them: every entity of the file gets
 * the tags (added once, after its own), so what a sync writes is what the
 * next selective sync selects.
 */
export function applySelectTags(state: DeclarativeState, selectTags: readonly string[]): DeclarativeState {
  if (selectTags.length === 0) return state;
  const out = { ...state } as Record<string, StateEntity<{ tags: string[] }>[]>;
  for (const kind of STATE_KINDS) {
    out[kind] = (state[kind] as StateEntity<{ tags: string[] }>[]).map((e) => ({
      ...e,
      fields: { ...e.fields, tags: [...e.fields.tags, ...selectTags.filter((t) => !e.fields.tags.includes(t))] },
    }));
  }
  return out as unknown as DeclarativeState;
}

/**
 * The part of a runtime group a selective sync manages: the entities that
 * carry every select tag. With no select tags that is the whole group.
 */
export function selectByTags(state: DeclarativeState, selectTags: readonly string[]): DeclarativeState {
  if (selectTags.length === 0) return state;
  const out = {} as Record<string, StateEntity<{ tags: string[] }>[]>;
  for (const kind of STATE_KINDS) {
    out[kind] = (state[kind] as StateEntity<{ tags: string[] }>[]).filter((e) => selectTags.every((t) => e.fields.tags.includes(t)));
  }
  return out as unknown as DeclarativeState;
}
