import type { Request } from 'express';
import { readDeclarative, readDeclarativeText, type PluginCatalog, type ReadResult } from '@gatehouse/protocol';
import { ApiError, schemaViolation } from '../http/api-error';
import type { SyncRequest } from './sync';
import { checkFileTls } from '@gatehouse/protocol/node';

type QueryValue = string | string[] | undefined;

function one(query: Request['query'], name: string): string | undefined {
  const v = query[name] as QueryValue;
  if (Array.isArray(v)) throw schemaViolation({ [name]: 'given more than once' });
  return v;
}

/** A boolean query flag: absent, `true`/`1` or `false`/`0`; anything else is a 400 naming it. */
export function flag(query: Request['query'], name: string): boolean {
  const v = one(query, name);
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1' || v === '') return true;
  throw schemaViolation({ [name]: 'must be true or false' });
}

/** `select_tags=a,b` (or repeated): decK's select tags. */
export function selectTags(query: Request['query']): string[] {
  const v = query.select_tags as QueryValue;
  const raw = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Reads the declarative file of a `POST …/config` request: JSON (already
 * parsed) or YAML (text). A file with errors is a 400 `schema_violation`
 * whose `fields` are paths in the file.
 */
export function readSyncRequest(req: Request, catalog: PluginCatalog): SyncRequest {
  const options = { catalog, skipUnknownPlugins: flag(req.query, 'skip_unknown_plugins'), selectTags: selectTags(req.query) };
  const body: unknown = req.body;
  if (body === undefined || body === null || body === '') throw schemaViolation({ '@body': 'a declarative config file is required' });
  const result: ReadResult = typeof body === 'string' ? readDeclarativeText(body, options) : readDeclarative(body, options);
  if (!result.ok) throw invalidFile(result.fields);
  // What only node:crypto can check: certificates' PEM and keys, CA certificates (and their digests).
  const tls = checkFileTls(result.state);
  if (Object.keys(tls.problems).length > 0) throw invalidFile(tls.problems);
  return { desired: tls.state, selectTags: result.info.selectTags, dryRun: flag(req.query, 'dry_run'), warnings: result.warnings };
}

function invalidFile(fields: Record<string, string>): ApiError {
  const names = Object.keys(fields);
  const summary = names
    .slice(0, 5)
    .map((n) => `${n}: ${fields[n]}`)
    .join('; ');
  return new ApiError('schema_violation', `declarative config is invalid (${summary}${names.length > 5 ? '; …' : ''})`, fields);
}
