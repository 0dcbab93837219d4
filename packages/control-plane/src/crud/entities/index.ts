import { GATEWAY_ENTITIES, entitySpec, referencesTo, type EntityName, type EntitySpec } from '@gatehouse/protocol';
import { referenceColumn } from '../codec';
import { delegateOf, type EntityDef, type EntityHooks } from '../entity';
import { basicAuthHooks, hmacAuthHooks, jwtHooks, keyAuthHooks } from './credentials';
import { pluginHooks } from './plugins';
import { caCertificateHooks, certificateHooks } from './certificates';

/** What the control plane adds to some registry entries: secrets hashed, plugin configs checked. */
export const ENTITY_HOOKS: Partial<Record<EntityName, EntityHooks>> = {
  plugins: pluginHooks,
  keyauth_credentials: keyAuthHooks,
  basicauth_credentials: basicAuthHooks,
  jwt_secrets: jwtHooks,
  hmacauth_credentials: hmacAuthHooks,
  certificates: certificateHooks,
  ca_certificates: caCertificateHooks,
};

const defs = new Map<string, EntityDef>();

/** The CRUD definition of a registry entity (built once). */
export function entityDef(name: EntityName): EntityDef {
  let def = defs.get(name);
  if (!def) {
    def = buildDef(entitySpec(name), ENTITY_HOOKS[name] ?? {});
    defs.set(name, def);
  }
  return def;
}

function buildDef(spec: EntitySpec, hooks: EntityHooks): EntityDef {
  const target = (name: string) => () => entityDef(name as EntityName);
  return {
    ...hooks,
    spec,
    path: spec.path,
    label: spec.noun,
    model: (tx) => delegateOf(tx, spec.model),
    input: spec.input,
    output: spec.output,
    endpointKey: spec.endpointKey,
    orgScoped: spec.uniqueIn === 'organization',
    foreignKeys: spec.references.map((r) => ({ field: r.field, column: referenceColumn(r.field), target: target(r.entity) })),
    nesting: spec.references.filter((r) => r.nested).map((r) => ({ parent: target(r.entity), field: r.field, inBody: r.inBody })),
    topLevel: spec.topLevel,
    updatable: spec.updatable,
    deepMerge: spec.deepMerge,
    restrictDelete: referencesTo(spec.name)
      .filter(({ reference }) => reference.onDelete === 'restrict')
      .map(({ from, reference }) => ({ entity: target(from.name), column: referenceColumn(reference.field) })),
  };
}

/** Every gateway entity the generic CRUD serves, in registry order (the order their routes are mounted). */
export const GATEWAY_ENTITY_DEFS: readonly EntityDef[] = GATEWAY_ENTITIES.map((e) => entityDef(e.name));

/** The entities the Service Hub writes through the same CRUD (a version's implementation). */
export const services = entityDef('services');
export const routes = entityDef('routes');
