import { randomUUID } from 'node:crypto';
import type { HashOn, Upstream } from '@gatehouse/protocol';
import type { RequestContext } from '../proxy/request-context';

/** What an upstream hashes on, resolved once at compile time: the input and its parameter. */
export interface HashSource {
  on: HashOn;
  /** The header (lower case), cookie, query argument or capture name; '' when the input takes none. */
  param: string;
  /** For `cookie`: the Path of the cookie set when the request has none (`hash_on_cookie_path`). */
  cookiePath: string;
}

/** The primary and fallback hash inputs of an upstream, or null when it hashes on nothing. */
export function hashSources(u: Upstream): HashSource[] | null {
  if (u.algorithm !== 'consistent-hashing') return null;
  const sources: HashSource[] = [];
  const add = (on: HashOn, header: string | null, query: string | null, capture: string | null): void => {
    if (on === 'none') return;
    const param =
      on === 'header'
        ? (header ?? '').toLowerCase()
        : on === 'cookie'
          ? (u.hash_on_cookie ?? '')
          : on === 'query_arg'
            ? (query ?? '')
            : on === 'uri_capture'
              ? (capture ?? '')
              : '';
    sources.push({ on, param, cookiePath: u.hash_on_cookie_path });
  };
  add(u.hash_on, u.hash_on_header, u.hash_on_query_arg, u.hash_on_uri_capture);
  add(u.hash_fallback, u.hash_fallback_header, u.hash_fallback_query_arg, u.hash_fallback_uri_capture);
  return sources;
}

function cookieValue(header: string | string[] | number | undefined, name: string): string | null {
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function queryValue(query: string | null, name: string): string | null {
  if (query === null) return null;
  const values = new URLSearchParams(query).getAll(name);
  if (values.length === 0) return null;
  return values.length === 1 ? (values[0] ?? null) : [...values].sort().join(',');
}

function valueOf(source: HashSource, ctx: RequestContext): string | null {
  switch (source.on) {
    case 'consumer':
      return ctx.plugins?.consumer?.id ?? ctx.plugins?.credential?.id ?? null;
    case 'ip':
      return ctx.clientIp;
    case 'header': {
      const v = ctx.upstreamHeaders[source.param];
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join('') : String(v);
    }
    case 'cookie':
      return cookieValue(ctx.req.headers.cookie, source.param) ?? issuedCookie(source, ctx);
    case 'path':
      return ctx.path;
    case 'query_arg':
      return queryValue(ctx.upstreamQuery, source.param);
    case 'uri_capture': {
      const m = ctx.captures;
      if (m === null) return null;
      return m.groups?.[source.param] ?? (/^\d+$/.test(source.param) ? (m[Number(source.param)] ?? null) : null);
    }
    default:
      return null;
  }
}

/**
 * Kong's cookie hashing for a request without the cookie: a new random value
 * (a UUID) it hashes on, kept on the request (a retry hashes on the same)
 * and sent back in `Set-Cookie` with the response (hash-cookie.ts), so the
 * client's next requests go to the same target.
 */
function issuedCookie(source: HashSource, ctx: RequestContext): string {
  if (ctx.hashCookie?.name !== source.param) ctx.hashCookie = { name: source.param, value: randomUUID(), path: source.cookiePath };
  return ctx.hashCookie.value;
}

/** The value a request hashes to (Kong: the first input that has a value, else ''). */
export function hashKey(sources: readonly HashSource[], ctx: RequestContext): string {
  for (const s of sources) {
    const v = valueOf(s, ctx);
    if (v !== null) return v;
  }
  return '';
}
