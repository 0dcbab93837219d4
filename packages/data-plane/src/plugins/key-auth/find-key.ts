import type { PluginContext } from '../context';
import { bodyField, deleteBodyField, parseBody, serializeBody, type EditableBody } from '../request-body';
import { multipartField, multipartWithout, parseMultipart, type MultipartBody } from './multipart';

/** Where key-auth looks, as prepared from its config. */
export interface KeySearch {
  /** Key names as configured (query and body are case-sensitive). */
  names: string[];
  /** The header name(s) of each key name: lower-cased, and with `_` as `-` too (Kong's header lookup). */
  headerNames: string[][];
  inHeader: boolean;
  inQuery: boolean;
  inBody: boolean;
  hide: boolean;
}

/** A key given twice in one place: two header lines, a repeated query argument, a list in the body. */
export const DUPLICATE = Symbol('duplicate key');
/** What a search found: the key (maybe ''), a duplicate, or nothing. */
export type Found = string | typeof DUPLICATE | null;

/** A body that is not JSON or a form (or absent): nothing to find in it. */
const NO_BODY = null;
type Body = EditableBody | MultipartBody | typeof NO_BODY;

function inHeaders(ctx: PluginContext, names: string[]): string | typeof DUPLICATE | undefined {
  for (const name of names) {
    const lines = ctx.headerLines(name);
    if (lines.length > 1) return DUPLICATE;
    if (lines.length === 1) return lines[0];
  }
  return undefined;
}

/** A query argument without `=` (`?apikey`): Kong reads it as `true`, neither a key nor nothing. */
const FLAG = Symbol('query flag');

function isFlag(rawQuery: string, name: string): boolean {
  return rawQuery.split('&').some((part) => {
    if (part.includes('=')) return false;
    try {
      return decodeURIComponent(part.replaceAll('+', ' ')) === name;
    } catch {
      return false;
    }
  });
}

function inQuery(ctx: PluginContext, name: string): string | typeof DUPLICATE | typeof FLAG | undefined {
  const all = ctx.query().getAll(name);
  if (all.length > 1) return DUPLICATE;
  const [only] = all;
  return only === '' && isFlag(ctx.requestQuery, name) ? FLAG : only;
}

function inBody(body: Body, name: string): string | typeof DUPLICATE | undefined {
  if (body === NO_BODY) return undefined;
  // Kong counts any table as a duplicate: a JSON list or object under the name (numbers and booleans are skipped).
  if (body.kind === 'json' && typeof body.value[name] === 'object' && body.value[name] !== null) return DUPLICATE;
  const v = body.kind === 'multipart' ? multipartField(body, name) : bodyField(body, name);
  return Array.isArray(v) ? DUPLICATE : v;
}

/** JSON, urlencoded and multipart/form-data bodies, as Kong's key_in_body reads them. */
async function loadBody(ctx: PluginContext): Promise<Body> {
  const type = ctx.header('content-type');
  const bytes = await ctx.readBody();
  return parseBody(type, bytes) ?? parseMultipart(type, bytes);
}

/** hide_credentials, as Kong does it: the name goes from the headers and the query… */
function hide(ctx: PluginContext, s: KeySearch, i: number): void {
  for (const h of s.headerNames[i] ?? []) delete ctx.upstreamHeaders[h];
  const q = ctx.query();
  const name = s.names[i] ?? '';
  if (q.has(name)) {
    q.delete(name);
    ctx.setQuery(q);
  }
}

/** …and, with key_in_body, from the body (read for it if the key came from elsewhere). */
async function hideInBody(ctx: PluginContext, name: string, body: Body | undefined): Promise<void> {
  const b = body === undefined ? await loadBody(ctx) : body;
  if (b === NO_BODY) return;
  if (b.kind === 'multipart') {
    if (multipartField(b, name) !== undefined) ctx.upstreamBody = multipartWithout(b, name);
    return;
  }
  if (bodyField(b, name) === undefined) return;
  deleteBodyField(b, name);
  ctx.upstreamBody = serializeBody(b);
}

/**
 * Kong's search, name by name: for each key name the header, then the query,
 * then (key_in_body) the body; the first value found decides. So a key in the
 * header wins over the same name in the query, and an earlier key name wins over
 * a later one wherever each is. A value given twice in the place it is found
 * is a duplicate. The body is read only when a name is in neither header nor
 * query (or to hide the key there). Answers synchronously when it can.
 */
export function findKey(ctx: PluginContext, s: KeySearch): Found | Promise<Found> {
  return searchFrom(ctx, s, 0, undefined);
}

function searchFrom(ctx: PluginContext, s: KeySearch, start: number, body: Body | undefined): Found | Promise<Found> {
  for (let i = start; i < s.names.length; i++) {
    const name = s.names[i] ?? '';
    let v: string | typeof DUPLICATE | typeof FLAG | undefined;
    if (s.inHeader) v = inHeaders(ctx, s.headerNames[i] ?? []);
    if (v === undefined && s.inQuery) v = inQuery(ctx, name);
    if (v === undefined && s.inBody) {
      if (body === undefined) return loadBody(ctx).then((b) => searchFrom(ctx, s, i, b));
      v = inBody(body, name);
    }
    if (v === DUPLICATE) return DUPLICATE;
    // A flag is found (so the body is not read for this name) but is no key: on to the next name, as in Kong.
    if (v === FLAG) continue;
    if (v !== undefined) {
      if (!s.hide) return v;
      hide(ctx, s, i);
      if (!s.inBody) return v;
      const key = v;
      return hideInBody(ctx, name, body).then(() => key);
    }
  }
  return null;
}
