import type { EntitySpec, ReferenceSpec } from './entity-spec';
import {
  ACLS,
  BASICAUTH_CREDENTIALS,
  CA_CERTIFICATES,
  CERTIFICATES,
  SNIS,
  CONSUMERS,
  KEYAUTH_CREDENTIALS,
  JWT_SECRETS,
  HMACAUTH_CREDENTIALS,
  PLUGINS,
  ROUTES,
  SERVICES,
  TARGETS,
  UPSTREAMS,
} from './gateway-entities';

export * from './entity-spec';
export * from './gateway-entities';

/**
 * Every gateway entity, parents before the entities that refer to them: the
 * order a snapshot lists them, a file is read and a sync creates them (and
 * the reverse of the order it deletes them).
 */
export const GATEWAY_ENTITIES = [
  CA_CERTIFICATES,
  CERTIFICATES,
  SNIS,
  SERVICES,
  ROUTES,
  CONSUMERS,
  PLUGINS,
  KEYAUTH_CREDENTIALS,
  BASICAUTH_CREDENTIALS,
  JWT_SECRETS,
  HMACAUTH_CREDENTIALS,
  ACLS,
  UPSTREAMS,
  TARGETS,
] as const;

/** The name of a gateway entity: its list in snapshots and files (`keyauth_credentials`). */
export type EntityName = (typeof GATEWAY_ENTITIES)[number]['name'];

/** The gateway entity names in registry order. */
export const ENTITY_NAMES: readonly EntityName[] = GATEWAY_ENTITIES.map((e) => e.name);

const BY_NAME = new Map<string, EntitySpec>(GATEWAY_ENTITIES.map((e) => [e.name, e]));

/** The registry entry of a gateway entity; throws for a name the registry lacks (a bug, never input). */
export function entitySpec(name: string): EntitySpec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`no gateway entity named '${name}' in the registry`);
  return spec;
}

/** The references from any entity to `name`, with the entity that holds each. */
export function referencesTo(name: string): { from: EntitySpec; reference: ReferenceSpec }[] {
  return GATEWAY_ENTITIES.flatMap((from) => from.references.filter((r) => r.entity === name).map((reference) => ({ from, reference })));
}

/** Every field that holds a secret or its hash, in any entity: hidden in diffs and logs. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(GATEWAY_ENTITIES.flatMap((e) => e.secretFields));
