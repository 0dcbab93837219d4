import { z } from 'zod';
import type { StateKind } from './state';
import type { Problems, FilePath } from './problems';
import { KINDS, type KindSpec, type RefField } from './kinds';
import { upgradeRoutePath, type FormatVersion } from './format-version';
import type { PluginCatalog } from './plugin-catalog';
import { takeAnnotations } from './annotations';
import { referenceIssues } from '../vault/referenceable';
import { applyDefaults, addEntityIssues, type EntityDefaults } from './defaults';

/** A reference as written in the file, or the entry an entity is nested in. */
export type PendingRef = { raw: unknown; path: FilePath } | { parent: PendingEntity };

/** One entry of the file after its own fields were checked, before references are resolved. */
export interface PendingEntity {
  kind: StateKind;
  path: FilePath;
  id?: string;
  /** False when the entry's own fields are wrong (already reported); its children are then skipped. */
  valid: boolean;
  fields: Record<string, unknown>;
  refs: Partial<Record<RefField, PendingRef>>;
}

/** What the walk needs besides the file: how to read it and where to report. */
export interface WalkContext {
  version: FormatVersion;
  /** `_transform: false`: basic-auth `password` values are already hashes (as in Kong). */
  transform: boolean;
  problems: Problems;
  catalog: PluginCatalog;
  skipUnknownPlugins: boolean;
  /** `_info.defaults`, filled into the fields an entity leaves out. */
  defaults: EntityDefaults;
  out: PendingEntity[];
}

const uuid = z.uuid();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

/** Walks one entity list (`services`, `services[0].routes`, …), reporting a non-list. */
export function walkList(ctx: WalkContext, kind: StateKind, value: unknown, path: FilePath, parent?: { field: RefField; entity: PendingEntity }): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    ctx.problems.add(path, 'expected an array');
    return;
  }
  value.forEach((item, i) => walkItem(ctx, KINDS[kind], item, [...path, i], parent));
}

function walkItem(ctx: WalkContext, spec: KindSpec, item: unknown, path: FilePath, parent?: { field: RefField; entity: PendingEntity }): void {
  if (!isPlainObject(item)) {
    ctx.problems.add(path, `expected a ${spec.noun} object`);
    return;
  }
  const rest: Record<string, unknown> = { ...item };
  takeAnnotations(rest, path, ctx.problems);
  const take = (key: string): unknown => {
    const v = rest[key];
    delete rest[key];
    return v;
  };
  const nested = Object.keys(spec.nested).map((name) => ({ name, value: take(name) }));
  for (const name of [...spec.kongOnlyLists, ...spec.kongOnly]) {
    const v = take(name);
    if (!isEmptyValue(v)) ctx.problems.add([...path, name], 'not supported by Gatehouse');
  }
  const entity: PendingEntity = { kind: spec.kind, path, valid: true, fields: {}, refs: {} };
  const id = take('id');
  take('created_at');
  take('updated_at');
  // Kong exports write `tags: null` for no tags.
  if (rest.tags === null) take('tags');
  if (id !== undefined && id !== null) {
    if (uuid.safeParse(id).success) entity.id = id as string;
    else {
      ctx.problems.add([...path, 'id'], 'must be a UUID');
      entity.valid = false;
    }
  }
  for (const [field, { need }] of Object.entries(spec.refs)) {
    const raw = take(field);
    if (parent?.field === field) {
      if (raw !== undefined) ctx.problems.add([...path, field], `must not be set on an entity nested in a ${KINDS[parent.entity.kind].noun}`);
      entity.refs[field] = { parent: parent.entity };
    } else if (raw !== undefined && raw !== null) {
      entity.refs[field] = { raw, path: [...path, field] };
    } else if (need === 'required') {
      ctx.problems.add([...path, field], 'required');
    }
  }
  const defaulted = applyDefaults(rest, spec.kind, ctx.defaults);
  if (spec.kind === 'plugins') checkPluginScopes(ctx, rest.name, entity, path);
  if (spec.kind === 'routes' && Array.isArray(rest.paths)) rest.paths = rest.paths.map((p) => upgradeRoutePath(p, ctx.version));
  if (spec.kind === 'basicauth_credentials' && !ctx.transform && rest.password !== undefined && rest.password_hash === undefined) {
    rest.password_hash = take('password');
  }
  if (spec.kind === 'plugins' && !checkPluginName(ctx, rest.name, path)) return;
  // Secret references: only in referenceable fields, and well formed (docs/SECURITY.md); a dump keeps them as written.
  for (const issue of referenceIssues(spec.schema, rest)) ctx.problems.add([...path, ...issue.path], issue.message);
  const parsed = spec.schema.safeParse(rest);
  if (parsed.success) {
    entity.fields = parsed.data as Record<string, unknown>;
    if (spec.kind === 'plugins') checkPluginConfig(ctx, entity, path);
  } else {
    addEntityIssues(ctx.problems, spec.noun, path, defaulted, parsed.error.issues);
    entity.valid = false;
    // Keep the names, so references to this entry are not also reported as missing.
    for (const n of ['name', 'username', 'custom_id']) if (typeof rest[n] === 'string') entity.fields[n] = rest[n];
  }
  ctx.out.push(entity);
  for (const { name, value } of nested) {
    const target = spec.nested[name];
    if (target) walkList(ctx, target.kind, value, [...path, name], { field: target.ref, entity });
  }
}

/** An unknown plugin is an error, or with skipUnknownPlugins a warning and the entry is left out. */
function checkPluginName(ctx: WalkContext, name: unknown, path: FilePath): boolean {
  if (typeof name !== 'string' || ctx.catalog.has(name)) return true;
  if (ctx.skipUnknownPlugins) {
    ctx.problems.warn([...path, 'name'], `plugin "${name}" is not available in Gatehouse; skipped`);
    return false;
  }
  ctx.problems.add([...path, 'name'], `plugin "${name}" is not available in Gatehouse (use --skip-unknown-plugins to skip it)`);
  return true;
}

/** A plugin attached where its schema forbids (Kong's `no_consumer` and friends) is reported on that field. */
function checkPluginScopes(ctx: WalkContext, name: unknown, entity: PendingEntity, path: FilePath): void {
  const scopes = typeof name === 'string' ? ctx.catalog.scopes?.(name) : undefined;
  if (!scopes) return;
  for (const field of ['consumer', 'route', 'service'] as const) {
    if (entity.refs[field] !== undefined && !scopes[field]) {
      ctx.problems.add([...path, field], `the ${String(name)} plugin cannot be scoped to a ${field}`);
      entity.valid = false;
    }
  }
}

function checkPluginConfig(ctx: WalkContext, entity: PendingEntity, path: FilePath): void {
  const name = entity.fields.name as string;
  if (!ctx.catalog.has(name) || !ctx.catalog.validateConfig) return;
  const result = ctx.catalog.validateConfig(name, entity.fields.config as Record<string, unknown>);
  if ('issues' in result) {
    ctx.problems.addIssues([...path, 'config'], result.issues);
    entity.valid = false;
  } else {
    entity.fields = { ...entity.fields, config: result.config };
  }
}
