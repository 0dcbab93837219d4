import { issuesToFields, referenceIssues } from '@gatehouse/protocol';
import { touchConfig } from '../database/config-change';
import { ApiError, notFound, schemaViolation } from '../http/api-error';
import { isUuid, keyWhere } from '../http/entity-key';
import type { ListQuery } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { columnOf, sealFields, toData, writableFields } from './codec';
import { checkIdLists, refuseListedDelete } from './id-lists';
import type { EntityDef, Nesting, Row, Tx } from './entity';
import { resolveRefs } from './refs';

/**
 * Where an operation happens: a runtime group of an organization, and, for a
 * nested path (`/services/{id}/routes`), the parent entity the rows must
 * belong to.
 */
export interface Scope {
  runtimeGroupId: string;
  organizationId: string;
  parent?: { nesting: Nesting; id: string };
}

function scopeWhere(def: EntityDef, scope: Scope): Record<string, unknown> {
  const where: Record<string, unknown> = { runtimeGroupId: scope.runtimeGroupId };
  if (scope.parent) where[parentColumn(def, scope.parent.nesting)] = scope.parent.id;
  return where;
}

function parentColumn(def: EntityDef, nesting: Nesting): string {
  const fk = def.foreignKeys.find((f) => f.field === nesting.field);
  if (!fk) throw new Error(`${def.path}: nesting field ${nesting.field} is not a foreign key`);
  return fk.column;
}

/** The entity a path key (id or endpoint key) names inside the scope, or 404. */
export async function findEntity(tx: Tx, def: EntityDef, scope: Scope, key: string): Promise<Row> {
  const by = keyWhere(key, def.endpointKey ? columnOf(def.endpointKey) : null);
  let row = by ? await def.model(tx).findFirst({ where: { ...by, ...scopeWhere(def, scope) } }) : null;
  // An entity without a name may be found another way (a certificate by one of its SNIs, as in Kong).
  if (!row && !by && def.findByKey) {
    const id = await def.findByKey(tx, scope.runtimeGroupId, key);
    row = id === null ? null : await def.model(tx).findFirst({ where: { id, ...scopeWhere(def, scope) } });
  }
  if (!row) throw notFound(def.label, key);
  return row;
}

/** One page of the entities in the scope (see http/pagination.ts). */
export function listEntities(tx: Tx, def: EntityDef, scope: Scope, q: ListQuery): Promise<Row[]> {
  return def.model(tx).findMany({ where: { ...scopeWhere(def, scope), ...q.where }, orderBy: q.orderBy, take: q.take });
}

// Fields the server owns: a client may echo them back (GET then PUT), they are never written.
function withoutServerFields(body: Record<string, unknown>): Record<string, unknown> {
  const { created_at: _c, updated_at: _u, ...rest } = body;
  return rest;
}

function takeId(body: Record<string, unknown>, existingId: string | null): { body: Record<string, unknown>; id: string | undefined } {
  const { id, ...rest } = body;
  if (id === undefined) return { body: rest, id: undefined };
  if (typeof id !== 'string' || !isUuid(id)) throw schemaViolation({ id: 'expected a UUID' });
  if (existingId !== null && id.toLowerCase() !== existingId) throw schemaViolation({ id: 'cannot be changed' });
  return { body: rest, id: id.toLowerCase() };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isPlainObject(v) && isPlainObject(base[k]) ? deepMerge(base[k], v) : v;
  return out;
}

/** Validates, hashes secrets, resolves references and checks cross-row rules: the data to store. */
async function prepareData(tx: Tx, def: EntityDef, scope: Scope, body: Record<string, unknown>, excludeId: string | null) {
  if (scope.parent?.nesting.inBody) body = { ...body, [scope.parent.nesting.field]: { id: scope.parent.id } };
  // Secret references only in referenceable fields, well formed (a plugin's config: by its own schema, in its hook).
  const refIssues = referenceIssues(def.input, body);
  if (refIssues.length > 0) throw schemaViolation(issuesToFields(refIssues));
  const input = validate(def.input, body) as Record<string, unknown>;
  const prepared = def.prepare ? await def.prepare(input) : { input };
  const refs = await resolveRefs(tx, def, scope.runtimeGroupId, prepared.input);
  await checkIdLists(tx, def, scope.runtimeGroupId, prepared.input);
  const data = toData(def, sealFields(def.spec.sealedFields, prepared.input), refs);
  if (scope.parent && !scope.parent.nesting.inBody) data[parentColumn(def, scope.parent.nesting)] = scope.parent.id;
  await def.check?.(tx, scope.runtimeGroupId, data, excludeId);
  return { data, input, reveal: prepared.reveal };
}

/**
 * Creates an entity from a request body inside the caller's transaction and
 * records the config change (touchConfig), so the write and the data planes'
 * notification commit or roll back together. `defaults` fill fields the body
 * leaves out (PUT by name uses it for the name); `id` is the id PUT by id
 * creates with. The answer's `reveal` holds
 * secrets shown only in the creation answer.
 */
export async function createEntity(
  tx: Tx,
  def: EntityDef,
  scope: Scope,
  rawBody: unknown,
  opts: { id?: string; defaults?: Record<string, unknown> } = {},
): Promise<{ row: Row; reveal?: Record<string, unknown> }> {
  const { body, id } = takeId(withoutServerFields(objectBody(rawBody)), opts.id ?? null);
  const { data, input, reveal } = await prepareData(tx, def, scope, { ...opts.defaults, ...body }, null);
  data.runtimeGroupId = scope.runtimeGroupId;
  if (def.orgScoped) data.organizationId = scope.organizationId;
  const chosenId = opts.id ?? id;
  if (chosenId) data.id = chosenId;
  const row = await def.model(tx).create({ data });
  await def.afterWrite?.(tx, scope.runtimeGroupId, row, input, 'create');
  await touchConfig(tx, scope.runtimeGroupId);
  return { row, reveal };
}

/**
 * Replaces (PUT) or merges into (PATCH) an existing entity. A PATCH body is
 * merged over the stored fields and the result validated whole with the
 * protocol schema, so a merge can never store what a create would refuse.
 */
export async function updateEntity(tx: Tx, def: EntityDef, scope: Scope, existing: Row, rawBody: unknown, mode: 'replace' | 'patch'): Promise<Row> {
  if (!def.updatable) throw new ApiError('method_not_allowed', `${def.path} cannot be changed; delete and create instead`);
  const { body } = takeId(withoutServerFields(objectBody(rawBody)), existing.id);
  let merged = body;
  if (mode === 'patch') {
    const base = writableFields(def, existing);
    merged = { ...base, ...body };
    for (const field of def.deepMerge) {
      if (isPlainObject(base[field]) && isPlainObject(body[field])) merged[field] = deepMerge(base[field], body[field]);
    }
  }
  const { data, input } = await prepareData(tx, def, scope, merged, existing.id);
  const row = await def.model(tx).update({ where: { id: existing.id }, data });
  await def.afterWrite?.(tx, scope.runtimeGroupId, row, input, mode);
  await touchConfig(tx, scope.runtimeGroupId);
  return row;
}

/** Deletes an entity (its dependants cascade), unless entities that must go first still refer to it. */
export async function deleteEntity(tx: Tx, def: EntityDef, scope: Scope, existing: Row): Promise<void> {
  for (const r of def.restrictDelete) {
    const count = await r
      .entity()
      .model(tx)
      .count({ where: { [r.column]: existing.id } });
    if (count > 0) {
      throw new ApiError('conflict', `an existing '${r.entity().path}' entity references this '${def.path}' entity (${count}); delete or move it first`);
    }
  }
  await refuseListedDelete(tx, def, existing);
  await def.model(tx).delete({ where: { id: existing.id } });
  await touchConfig(tx, scope.runtimeGroupId);
}
