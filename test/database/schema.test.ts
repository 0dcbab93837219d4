import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { migrate } from '../../packages/control-plane/src/database/migrate';
import { createTestDatabase, query } from '../support/database';
import { REPO_ROOT } from '../support/processes';

/**
 * Applies every migration to an empty database and compares what PostgreSQL
 * reports (information_schema / pg_catalog) with what prisma/schema.prisma
 * describes (Prisma's own DMMF), independently of scripts/schema-sql.js: a
 * migration that forgets a column, a unique constraint or an ON DELETE rule,
 * or a schema.prisma edit without its migration, fails here.
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName?: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}

const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8') }))) as {
  datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
};
const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
const tableOf = (m: DmmfModel): string => m.dbName ?? m.name;
const columnOf = (m: DmmfModel, field: string): string => {
  const f = m.fields.find((x) => x.name === field);
  if (!f) throw new Error(`${m.name}.${field} not in DMMF`);
  return f.dbName ?? f.name;
};

/** The PostgreSQL type (udt_name) Prisma maps a scalar field to. */
function expectedType(f: DmmfField): string {
  const native = f.nativeType?.[0];
  const base =
    native === 'Uuid'
      ? 'uuid'
      : native === 'Timestamptz'
        ? 'timestamptz'
        : (
            {
              String: 'text',
              Int: 'int4',
              BigInt: 'int8',
              Boolean: 'bool',
              DateTime: 'timestamp',
              Json: 'jsonb',
              Float: 'float8',
              Decimal: 'numeric',
            } as Record<string, string>
          )[f.type];
  if (!base) throw new Error(`no PostgreSQL type known for ${f.type}`);
  return f.isList ? `_${base}` : base;
}

/** Defaults Prisma fills in on the client (uuid(), cuid()) have no database default. */
function expectsDatabaseDefault(f: DmmfField): boolean {
  if (!f.hasDefaultValue) return false;
  const d = f.default as { name?: string } | undefined;
  return !(d && typeof d === 'object' && !Array.isArray(d) && (d.name === 'uuid' || d.name === 'cuid'));
}

const ON_DELETE: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };
const columnsKey = (table: string, cols: string[]): string => `${table}(${cols.join(',')})`;

describe('migrations match prisma/schema.prisma', () => {
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase('schema');
    await migrate(url, pino({ level: 'silent' }));
  });

  it('has exactly the tables of the models', async () => {
    const rows = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...models.values()].map(tableOf).sort());
  });

  it('has exactly the columns of each model, with their types, nullability and defaults', async () => {
    const rows = await query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; column_default: string | null }>(
      url,
      "SELECT table_name, column_name, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    const actual = rows.map(
      (r) => `${r.table_name}.${r.column_name}: ${r.udt_name}${r.is_nullable === 'NO' ? ' not null' : ''}${r.column_default !== null ? ' default' : ''}`,
    );
    const expected: string[] = [];
    for (const m of models.values()) {
      for (const f of m.fields.filter((x) => x.kind === 'scalar' || x.kind === 'enum')) {
        const required = f.isRequired || f.isList;
        expected.push(`${tableOf(m)}.${f.dbName ?? f.name}: ${expectedType(f)}${required ? ' not null' : ''}${expectsDatabaseDefault(f) ? ' default' : ''}`);
      }
    }
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has exactly the primary keys, unique constraints and indexes of the models', async () => {
    const rows = await query<{ table_name: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      url,
      `SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname <> '_prisma_migrations'
        GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const kind = (r: { is_primary: boolean; is_unique: boolean }): string => (r.is_primary ? 'primary' : r.is_unique ? 'unique' : 'index');
    const actual = rows.map((r) => `${kind(r)} ${columnsKey(r.table_name, r.columns)}`);
    const expected = dmmf.datamodel.indexes
      .filter((i) => i.type !== 'fulltext')
      .map((i) => {
        const m = models.get(i.model)!;
        const k = i.type === 'id' ? 'primary' : i.type === 'unique' ? 'unique' : 'index';
        return `${k} ${columnsKey(
          tableOf(m),
          i.fields.map((f) => columnOf(m, f.name)),
        )}`;
      });
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has exactly the foreign keys of the relations, with their ON DELETE rules', async () => {
    const rows = await query<{ table_name: string; columns: string[]; target: string; target_columns: string[]; on_delete: string }>(
      url,
      `SELECT t.relname AS table_name, f.relname AS target, c.confdeltype AS on_delete,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS target_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class f ON f.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        WHERE c.contype = 'f'`,
    );
    const actual = rows.map((r) => `${columnsKey(r.table_name, r.columns)} -> ${columnsKey(r.target, r.target_columns)} on delete ${ON_DELETE[r.on_delete]}`);
    const expected: string[] = [];
    for (const m of models.values()) {
      for (const f of m.fields) {
        if (f.kind !== 'object' || !f.relationFromFields || f.relationFromFields.length === 0) continue;
        const target = models.get(f.type)!;
        const onDelete = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
        expected.push(
          `${columnsKey(
            tableOf(m),
            f.relationFromFields.map((n) => columnOf(m, n)),
          )} -> ${columnsKey(
            tableOf(target),
            (f.relationToFields ?? []).map((n) => columnOf(target, n)),
          )} on delete ${onDelete}`,
        );
      }
    }
    expect(actual.sort()).toEqual(expected.sort());
  });
});
