#!/usr/bin/env node
// Prints the PostgreSQL DDL that prisma/schema.prisma describes, in Prisma
// Migrate's own style (table, constraint and index names). Prisma's CLI needs a
// schema-engine binary it downloads at run time, which this project cannot
// rely on; this prints the starting point of a new migration instead. Review
// the output, keep only what changed, and save it as
// prisma/migrations/<timestamp>_<name>/migration.sql. test/database/schema.test.ts
// proves the migrations and schema.prisma agree.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { get_dmmf } = require('@prisma/prisma-schema-wasm');

const schemaPath = path.resolve(__dirname, '..', 'prisma', 'schema.prisma');
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(schemaPath, 'utf8') })));
const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));

const tableOf = (m) => m.dbName ?? m.name;
const columnOf = (m, fieldName) => {
  const f = m.fields.find((x) => x.name === fieldName);
  return f.dbName ?? f.name;
};
const q = (id) => `"${id}"`;

function sqlType(f) {
  const native = f.nativeType ? f.nativeType[0] : null;
  let t;
  if (native === 'Uuid') t = 'UUID';
  else if (native === 'Timestamptz') t = `TIMESTAMPTZ(${f.nativeType[1][0] ?? 3})`;
  else t = { String: 'TEXT', Int: 'INTEGER', BigInt: 'BIGINT', Boolean: 'BOOLEAN', DateTime: 'TIMESTAMP(3)', Json: 'JSONB', Float: 'DOUBLE PRECISION' }[f.type];
  if (!t) throw new Error(`no SQL type for ${f.type}`);
  return f.isList ? `${t}[]` : t;
}

function sqlDefault(f) {
  if (!f.hasDefaultValue) return '';
  const d = f.default;
  if (d && typeof d === 'object' && !Array.isArray(d)) {
    if (d.name === 'now') return ' DEFAULT CURRENT_TIMESTAMP';
    return ''; // uuid() and cuid() are filled in by the client
  }
  if (Array.isArray(d)) return ` DEFAULT ARRAY[${d.map((v) => `'${v}'`).join(', ')}]::${sqlType(f)}`;
  if (f.type === 'Json') return ` DEFAULT '${d}'`;
  if (f.type === 'String') return ` DEFAULT '${d}'`;
  return ` DEFAULT ${d}`;
}

const out = [];
for (const m of models.values()) {
  const cols = m.fields.filter((f) => f.kind === 'scalar');
  const lines = cols.map((f) => `    ${q(f.dbName ?? f.name)} ${sqlType(f)}${f.isRequired ? ' NOT NULL' : ''}${sqlDefault(f)}`);
  const pk = m.primaryKey ? m.primaryKey.fields.map((n) => q(columnOf(m, n))) : cols.filter((f) => f.isId).map((f) => q(f.dbName ?? f.name));
  lines.push(`\n    CONSTRAINT ${q(`${tableOf(m)}_pkey`)} PRIMARY KEY (${pk.join(',')})`);
  out.push(`-- CreateTable\nCREATE TABLE ${q(tableOf(m))} (\n${lines.join(',\n')}\n);\n`);
}
// With table names given as arguments, print only what concerns those tables.
const only = new Set(process.argv.slice(2));
for (const idx of dmmf.datamodel.indexes) {
  if (idx.type !== 'unique' && idx.type !== 'normal') continue;
  const m = models.get(idx.model);
  const cols = idx.fields.map((f) => columnOf(m, f.name));
  const name = idx.dbName ?? `${tableOf(m)}_${cols.join('_')}_${idx.type === 'unique' ? 'key' : 'idx'}`;
  out.push(`-- CreateIndex\nCREATE ${idx.type === 'unique' ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${q(tableOf(m))}(${cols.map(q).join(', ')});\n`);
}
const actions = { Cascade: 'CASCADE', Restrict: 'RESTRICT', SetNull: 'SET NULL', NoAction: 'NO ACTION', SetDefault: 'SET DEFAULT' };
for (const m of models.values()) {
  for (const f of m.fields) {
    if (f.kind !== 'object' || !f.relationFromFields || f.relationFromFields.length === 0) continue;
    const target = models.get(f.type);
    const from = f.relationFromFields.map((n) => columnOf(m, n));
    const to = f.relationToFields.map((n) => columnOf(target, n));
    const onDelete = actions[f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull')];
    out.push(
      `-- AddForeignKey\nALTER TABLE ${q(tableOf(m))} ADD CONSTRAINT ${q(`${tableOf(m)}_${from.join('_')}_fkey`)} FOREIGN KEY (${from.map(q).join(', ')}) REFERENCES ${q(tableOf(target))}(${to.map(q).join(', ')}) ON DELETE ${onDelete} ON UPDATE CASCADE;\n`,
    );
  }
}
process.stdout.write(out.filter((stmt) => only.size === 0 || [...only].some((t) => stmt.includes(`TABLE "${t}"`) || stmt.includes(`ON "${t}"`))).join('\n'));
