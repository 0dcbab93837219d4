import fs from 'node:fs';
import path from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { uniqueField } from '../http/database-errors';
import { columnOf } from './codec';
import type { EntityDef, Tx } from './entity';
import { GATEWAY_ENTITIES } from './entities';

/**
 * The entity definitions must agree with prisma/schema.prisma: every answer
 * field is a column (or a foreign key / timestamp), every unique constraint
 * names a field the client can see in a 409, every nesting is a foreign key.
 */

interface Field {
  name: string;
  dbName?: string | null;
  kind: string;
}
interface Model {
  name: string;
  dbName?: string | null;
  fields: Field[];
}
const dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(path.resolve(__dirname, '../../../../prisma/schema.prisma'), 'utf8') })),
) as { datamodel: { models: Model[]; indexes: Array<{ model: string; type: string; fields: Array<{ name: string }> }> } };

/** The Prisma model an entity's `model()` reads: the delegate name it picks off the client. */
function modelOf(def: EntityDef): Model {
  const recorder = new Proxy({}, { get: (_t, prop) => prop }) as unknown as Tx;
  const delegate = String(def.model(recorder));
  const model = dmmf.datamodel.models.find((m) => m.name[0]?.toLowerCase() + m.name.slice(1) === delegate);
  if (!model) throw new Error(`${def.path}: no model for delegate ${delegate}`);
  return model;
}

describe.each(GATEWAY_ENTITIES.map((d) => [d.path, d] as const))('entity %s', (_path, def) => {
  const model = modelOf(def);
  const columns = new Set(model.fields.filter((f) => f.kind === 'scalar').map((f) => f.name));

  it('answers only fields that are columns, foreign keys or the once-shown secret', () => {
    for (const field of Object.keys(def.output.shape)) {
      const isFk = def.foreignKeys.some((f) => f.field === field);
      const isRevealed = def.path === 'key-auth' && field === 'key';
      if (!isFk && !isRevealed) expect({ field, column: columns.has(columnOf(field)) }).toEqual({ field, column: true });
    }
  });

  it('has a runtime group column, its foreign key columns, and its endpoint key as a column', () => {
    expect(columns.has('runtimeGroupId')).toBe(true);
    for (const fk of def.foreignKeys) expect(columns.has(fk.column)).toBe(true);
    if (def.endpointKey) expect(columns.has(columnOf(def.endpointKey))).toBe(true);
    if (def.orgScoped) expect(columns.has('organizationId')).toBe(true);
  });

  it('nests only under its own foreign keys', () => {
    for (const n of def.nesting) expect(def.foreignKeys.map((f) => f.field)).toContain(n.field);
  });

  it('reports every unique constraint of its table on a field the client knows', () => {
    const table = model.dbName ?? model.name;
    const dbName = (name: string): string => model.fields.find((f) => f.name === name)?.dbName ?? name;
    const known = new Set([...Object.keys(def.output.shape), 'key']);
    for (const index of dmmf.datamodel.indexes.filter((i) => i.model === model.name && i.type === 'unique')) {
      const constraint = `${table}_${index.fields.map((f) => dbName(f.name)).join('_')}_key`;
      expect({ constraint, field: known.has(uniqueField(constraint, table)) }).toEqual({ constraint, field: true });
    }
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
