import fs from 'node:fs';
import path from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { uniqueField } from '../http/database-errors';
import { columnOf, referenceColumn } from './codec';
import { ENTITY_NAMES, GATEWAY_ENTITIES, entitySpec, type EntitySpec } from '@gatehouse/protocol';
import { ENTITY_HOOKS, GATEWAY_ENTITY_DEFS, entityDef } from './entities';

/**
 * The entity registry (`@gatehouse/protocol`'s registry/) must agree with
 * prisma/schema.prisma, and the CRUD definitions with the registry: every
 * answer and snapshot field is a column (or a reference / timestamp), every
 * reference has its column and relation, every unique constraint names a
 * field the client can see in a 409, every hook belongs to an entity.
 */

interface Field {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  relationFromFields?: string[];
}
interface Model {
  name: string;
  dbName?: string | null;
  fields: Field[];
}
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(path.resolve(__dirname, '../../../../prisma/schema.prisma'), 'utf8') }))) as {
  datamodel: { models: Model[]; indexes: { model: string; type: string; fields: { name: string }[] }[] };
};

function modelOf(spec: EntitySpec): Model {
  const model = dmmf.datamodel.models.find((m) => m.name.charAt(0).toLowerCase() + m.name.slice(1) === spec.model);
  if (!model) throw new Error(`${spec.name}: no Prisma model ${spec.model}`);
  return model;
}

describe.each(GATEWAY_ENTITIES.map((s) => [s.name, s] as const))('entity %s', (_name, spec) => {
  const model = modelOf(spec);
  const columns = new Set(model.fields.filter((f) => f.kind === 'scalar').map((f) => f.name));
  const isReference = (field: string): boolean => spec.references.some((r) => r.field === field);

  it('answers and ships only fields that are columns, references, computed or the once-shown secret', () => {
    for (const field of Object.keys(spec.output.shape)) {
      if (!isReference(field) && !spec.revealOnCreate.includes(field) && !spec.computed.includes(field))
        expect({ field, column: columns.has(columnOf(field)) }).toEqual({ field, column: true });
    }
    for (const field of Object.keys(spec.snapshot.shape)) {
      if (!isReference(field)) expect({ field, column: columns.has(columnOf(field)) }).toEqual({ field, column: true });
    }
  });

  it('has a runtime group column, a column and relation per reference, and its endpoint key as a column', () => {
    expect(columns.has('runtimeGroupId')).toBe(true);
    for (const ref of spec.references) {
      const column = referenceColumn(ref.field);
      const relation = model.fields.find((f) => f.kind === 'object' && f.name === columnOf(ref.field));
      const target = dmmf.datamodel.models.find((m) => m.name === relation?.type);
      expect({ ref: ref.field, column: columns.has(column), from: relation?.relationFromFields, to: target && modelOf(entitySpec(ref.entity)).name }).toEqual({
        ref: ref.field,
        column: true,
        from: [column],
        to: target?.name,
      });
    }
    if (spec.endpointKey) expect(columns.has(columnOf(spec.endpointKey))).toBe(true);
    if (spec.uniqueIn === 'organization') expect(columns.has('organizationId')).toBe(true);
  });

  it('reports every unique constraint of its table on a field the client knows', () => {
    const table = model.dbName ?? model.name;
    const dbName = (name: string): string => model.fields.find((f) => f.name === name)?.dbName ?? name;
    const known = new Set([...Object.keys(spec.output.shape), ...spec.secretFields]);
    for (const index of dmmf.datamodel.indexes.filter((i) => i.model === model.name && i.type === 'unique')) {
      const constraint = `${table}_${index.fields.map((f) => dbName(f.name)).join('_')}_key`;
      expect({ constraint, field: known.has(uniqueField(constraint, table)) }).toEqual({ constraint, field: true });
    }
  });

  it('gets a CRUD definition that mirrors its entry', () => {
    const def = entityDef(spec.name);
    expect(def.spec).toBe(spec);
    expect(def.foreignKeys.map((f) => [f.field, f.target().spec.name])).toEqual(spec.references.map((r) => [r.field, r.entity]));
    for (const n of def.nesting) expect(def.foreignKeys.map((f) => f.field)).toContain(n.field);
    expect(GATEWAY_ENTITY_DEFS).toContain(def);
  });
});

describe('entity hooks', () => {
  it('belong to registry entities only', () => {
    for (const name of Object.keys(ENTITY_HOOKS)) expect(ENTITY_NAMES).toContain(name);
  });
});

describe('uniqueField', () => {
  it('drops the table and scope columns from a constraint name', () => {
    expect(uniqueField('routes_organization_id_name_key', 'routes')).toBe('name');
    expect(uniqueField('keyauth_credentials_runtime_group_id_key_hash_key', 'keyauth_credentials')).toBe('key');
    expect(uniqueField('service_hub_services_organization_id_name_key_key', 'service_hub_services')).toBe('name');
    expect(uniqueField('acls_consumer_id_group_key', 'acls')).toBe('group');
  });
});
