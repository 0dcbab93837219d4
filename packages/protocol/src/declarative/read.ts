import { z } from 'zod';
import { tag } from '../primitives';
import { Problems } from './problems';
import { FORMAT_VERSIONS, isFormatVersion, type FormatVersion } from './format-version';
import { KONG_ONLY_TOP_LEVEL } from './kinds';
import { namesOnlyCatalog, type PluginCatalog } from './plugin-catalog';
import { STATE_KINDS, type DeclarativeState } from './state';
import { walkList, type WalkContext } from './walk';
import { resolveEntities } from './resolve';
import { parseDocumentText } from './document';
import { applySelectTags } from './select-tags';
import { takeAnnotations } from './annotations';
import { readDefaults, type EntityDefaults } from './defaults';

/** How to read a file. */
export interface ReadOptions {
  /** Which plugins exist (and how their config is checked); the bundled names by default. */
  catalog?: PluginCatalog;
  /** Leave out plugins Gatehouse lacks, with a warning, instead of failing. */
  skipUnknownPlugins?: boolean;
  /** Tags (decK's `--select-tag`) added to `_info.select_tags`. */
  selectTags?: string[];
}

/** What a file says about itself besides its entities. */
export interface DeclarativeInfo {
  formatVersion: FormatVersion;
  /** `_transform` (default true): false means basic-auth passwords in the file are already hashed. */
  transform: boolean;
  /** `_info.select_tags` plus the caller's: every entity carries them, and only tagged entities are synced. */
  selectTags: string[];
  /** `_konnect.runtime_group_name` (or `control_plane_name`), when the file names its group. */
  runtimeGroup?: string;
}

/** A file read: its flat state, or every field that is wrong. Warnings in both cases. */
export type ReadResult =
  { ok: true; state: DeclarativeState; info: DeclarativeInfo; warnings: string[] } | { ok: false; fields: Record<string, string>; warnings: string[] };

const meta = {
  transform: z.boolean(),
  info: z.object({ select_tags: z.array(tag).optional(), defaults: z.unknown().optional(), default_lookup_tags: z.unknown().optional() }).strict(),
  konnect: z.object({ runtime_group_name: z.string().min(1).optional(), control_plane_name: z.string().min(1).optional() }).strict(),
};

const TOP_LEVEL_KEYS = new Set<string>([
  '_format_version',
  '_transform',
  '_comment',
  '_ignore',
  '_info',
  '_workspace',
  '_konnect',
  ...STATE_KINDS,
  ...KONG_ONLY_TOP_LEVEL,
]);

/** Reads a file's text (YAML or JSON) into a flat state. */
export function readDeclarativeText(text: string, options: ReadOptions = {}): ReadResult {
  const parsed = parseDocumentText(text);
  if (!parsed.ok) return { ok: false, fields: { '@file': parsed.message }, warnings: [] };
  return readDeclarative(parsed.document, options);
}

/**
 * Reads a parsed declarative file (Kong DB-less / decK format) into a flat
 * state, checking every entity with its schema from `entities/`. Errors name
 * the path in the file (`services[2].routes[0].paths[0]`); a file with any
 * error answers no state at all.
 */
export function readDeclarative(document: unknown, options: ReadOptions = {}): ReadResult {
  const problems = new Problems();
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, fields: { '@file': 'expected a mapping with _format_version, services, routes, …' }, warnings: [] };
  }
  const doc = document as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (!TOP_LEVEL_KEYS.has(key)) problems.add([key], 'unknown field');
  takeAnnotations({ ...doc }, [], problems);
  for (const key of KONG_ONLY_TOP_LEVEL) {
    const v = doc[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) problems.add([key], 'not supported by Gatehouse');
  }
  // An unquoted `_format_version: 3.0` is the number 3 to YAML; read it as the version it was meant to be.
  const version = typeof doc._format_version === 'number' ? doc._format_version.toFixed(1) : doc._format_version;
  if (version === undefined) problems.add(['_format_version'], 'required');
  else if (!isFormatVersion(version)) problems.add(['_format_version'], `expected one of: ${FORMAT_VERSIONS.join(', ')}`);
  const info: DeclarativeInfo = { formatVersion: isFormatVersion(version) ? version : '3.0', transform: true, selectTags: [] };
  const defaults = readMeta(doc, info, problems, options.selectTags ?? []);

  const ctx: WalkContext = {
    version: info.formatVersion,
    transform: info.transform,
    problems,
    catalog: options.catalog ?? namesOnlyCatalog(),
    skipUnknownPlugins: options.skipUnknownPlugins ?? false,
    defaults,
    out: [],
  };
  for (const kind of STATE_KINDS) walkList(ctx, kind, doc[kind], [kind]);
  const state = resolveEntities(ctx.out, problems);
  if (!problems.empty) return { ok: false, fields: problems.fields, warnings: problems.warnings };
  return { ok: true, state: applySelectTags(state, info.selectTags), info, warnings: problems.warnings };
}

/** Fills `info` from the file's meta fields; answers `_info.defaults` for the walk. */
function readMeta(doc: Record<string, unknown>, info: DeclarativeInfo, problems: Problems, extraTags: string[]): EntityDefaults {
  let defaults: EntityDefaults = {};
  if (doc._transform !== undefined) {
    const t = meta.transform.safeParse(doc._transform);
    if (t.success) info.transform = t.data;
    else problems.add(['_transform'], 'expected a boolean');
  }
  checkWorkspace(doc._workspace, problems);
  const selectTags = [...extraTags];
  if (doc._info !== undefined) {
    const i = meta.info.safeParse(doc._info);
    if (!i.success) problems.addIssues(['_info'], i.error.issues);
    else {
      selectTags.push(...(i.data.select_tags ?? []));
      defaults = readDefaults(i.data.defaults, problems);
      if (i.data.default_lookup_tags !== undefined) problems.warn(['_info', 'default_lookup_tags'], 'ignored: references must name entities in the file');
    }
  }
  for (const [i, t] of extraTags.entries()) if (!tag.safeParse(t).success) problems.add(['select_tags', i], 'must be a tag: printable ascii without spaces');
  info.selectTags = [...new Set(selectTags)];
  if (doc._konnect !== undefined) {
    const k = meta.konnect.safeParse(doc._konnect);
    if (!k.success) problems.addIssues(['_konnect'], k.error.issues);
    else {
      const group = k.data.runtime_group_name ?? k.data.control_plane_name;
      if (group !== undefined) info.runtimeGroup = group;
    }
  }
  return defaults;
}

/**
 * `_workspace`: Kong OSS has one workspace, `default`, and Gatehouse has runtime
 * groups instead, so `default` (or nothing) is accepted and changes nothing. Any
 * other workspace is refused rather than silently synced into the chosen group.
 */
function checkWorkspace(value: unknown, problems: Problems): void {
  if (value === undefined || value === null || value === '' || value === 'default') return;
  if (typeof value !== 'string') problems.add(['_workspace'], 'expected a string');
  else {
    problems.add(
      ['_workspace'],
      `workspace "${value}" is not supported by Gatehouse: only "default" (choose the runtime group with --runtime-group or _konnect.runtime_group_name)`,
    );
  }
}
