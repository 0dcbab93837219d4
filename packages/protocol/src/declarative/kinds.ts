import type { z } from 'zod';
import { GATEWAY_ENTITIES, type EntitySpec } from '../registry';
import type { StateKind } from './state';

/** A reference field an entity may carry, and which kind it points to. */
export type RefField = string;

/** One entity kind of the file format: its schema, references and nested lists (a view of its registry entry). */
export interface KindSpec {
  kind: StateKind;
  /** Singular, for messages. */
  noun: string;
  /** The entry schema (references removed before parsing). */
  schema: z.ZodType;
  /** Reference fields, the kind each points to, and whether a top-level entry must have them. */
  refs: Record<RefField, { kind: StateKind; need: 'optional' | 'required' }>;
  /** Lists that may be nested in an entry, each a kind whose `ref` is set to this entry. */
  nested: Partial<Record<string, { kind: StateKind; ref: RefField }>>;
  /** Kong fields Gatehouse lacks: accepted when null or empty (as Kong dumps write them), an error otherwise. */
  kongOnly: readonly string[];
  /** Kong lists that may be nested but Gatehouse lacks: accepted only when empty. */
  kongOnlyLists: readonly string[];
}

function kindOf(spec: EntitySpec): KindSpec {
  const nested: KindSpec['nested'] = {};
  for (const child of GATEWAY_ENTITIES) {
    for (const r of child.references) if (r.nested && r.entity === spec.name) nested[child.name] = { kind: child.name, ref: r.field };
  }
  return {
    kind: spec.name as StateKind,
    noun: spec.noun,
    schema: spec.declarative,
    refs: Object.fromEntries(spec.references.map((r) => [r.field, { kind: r.entity as StateKind, need: r.required ? 'required' : 'optional' }])),
    nested,
    kongOnly: spec.kongOnly,
    kongOnlyLists: spec.kongOnlyLists,
  };
}

/** The declarative kinds, by their list name in a file, derived from the entity registry. */
export const KINDS = Object.fromEntries(GATEWAY_ENTITIES.map((e) => [e.name, kindOf(e)])) as Record<StateKind, KindSpec>;

/** Top-level Kong lists Gatehouse does not have: accepted only when empty. */
export const KONG_ONLY_TOP_LEVEL = ['consumer_groups', 'vaults', 'oauth2_credentials', 'mtls_auth_credentials', 'key_sets', 'keys', 'filter_chains'] as const;
