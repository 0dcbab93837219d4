import { KINDS, type KindSpec } from './kinds';
import type { FilePath, Problems } from './problems';
import type { StateKind } from './state';

/**
 * decK's `_info.defaults`: values for fields an entity of the file leaves out,
 * per kind (`service`, `route`, `upstream`, `target`), applied before the
 * entity is checked, to top-level and nested entities alike.
 */
export type EntityDefaults = Partial<Record<StateKind, Record<string, unknown>>>;

/** decK's kinds and the fields it refuses in their defaults (they identify one entity). */
const DECK_DEFAULT_KINDS: Record<string, readonly string[]> = {
  service: ['id', 'name'],
  route: ['id', 'name'],
  upstream: ['id', 'name'],
  target: ['id', 'target'],
};

/** Fields of `service` defaults that a service's `url` sets (the URL's parts win, as in decK). */
export const URL_PARTS = ['protocol', 'host', 'port', 'path'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function kindOfNoun(noun: string): KindSpec | undefined {
  return Object.values(KINDS).find((k) => k.noun === noun);
}

/** Reads `_info.defaults`, reporting what decK refuses and what Gatehouse lacks at its path. */
export function readDefaults(value: unknown, problems: Problems): EntityDefaults {
  const out: EntityDefaults = {};
  if (value === undefined || value === null) return out;
  const at: FilePath = ['_info', 'defaults'];
  if (!isPlainObject(value)) {
    problems.add(at, 'expected an object');
    return out;
  }
  for (const [noun, fields] of Object.entries(value)) {
    const restricted = DECK_DEFAULT_KINDS[noun];
    if (restricted === undefined) {
      problems.add([...at, noun], 'unknown field');
      continue;
    }
    if (fields === null || fields === undefined) continue;
    if (!isPlainObject(fields)) {
      problems.add([...at, noun], 'expected an object');
      continue;
    }
    const spec = kindOfNoun(noun);
    if (spec === undefined) {
      if (Object.keys(fields).length > 0) problems.add([...at, noun], 'not supported by Gatehouse');
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [field, v] of Object.entries(fields)) {
      if (restricted.includes(field) || field in spec.refs || field in spec.nested) problems.add([...at, noun, field], 'cannot be set in defaults');
      else if ([...spec.kongOnly, ...spec.kongOnlyLists].includes(field)) {
        if (!isEmptyValue(v)) problems.add([...at, noun, field], 'not supported by Gatehouse');
      } else if (v !== null && v !== undefined) kept[field] = v;
    }
    if (Object.keys(kept).length > 0) out[spec.kind] = kept;
  }
  return out;
}

/**
 * Fills the fields `entry` leaves out (absent or null) from its kind's
 * defaults; a service with `url` keeps the URL's protocol, host, port and
 * path. Answers the fields it filled, so errors in them can be reported
 * where they were written.
 */
export function applyDefaults(entry: Record<string, unknown>, kind: StateKind, defaults: EntityDefaults): Set<string> {
  const filled = new Set<string>();
  const values = defaults[kind];
  if (values === undefined) return filled;
  const fromUrl = kind === 'services' && typeof entry.url === 'string';
  for (const [field, v] of Object.entries(values)) {
    if (entry[field] !== undefined && entry[field] !== null) continue;
    if (fromUrl && (URL_PARTS as readonly string[]).includes(field)) continue;
    entry[field] = structuredClone(v);
    filled.add(field);
  }
  return filled;
}

/** A schema issue as Zod reports it. */
interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** Reports an entry's schema issues at its path, or at `_info.defaults.<noun>` for a field the defaults filled. */
export function addEntityIssues(problems: Problems, noun: string, path: FilePath, defaulted: Set<string>, issues: readonly Issue[]): void {
  if (defaulted.size === 0) {
    problems.addIssues(path, issues);
    return;
  }
  const fromDefaults = (key: PropertyKey | undefined): boolean => typeof key === 'string' && defaulted.has(key);
  const own: Issue[] = [];
  const theirs: Issue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys) {
      const mine = issue.keys.filter((k) => !fromDefaults(k));
      const given = issue.keys.filter((k) => fromDefaults(k));
      if (mine.length > 0) own.push({ ...issue, keys: mine });
      if (given.length > 0) theirs.push({ ...issue, keys: given });
    } else if (fromDefaults(issue.path[0])) theirs.push(issue);
    else own.push(issue);
  }
  problems.addIssues(path, own);
  problems.addIssues(['_info', 'defaults', noun], theirs);
}
