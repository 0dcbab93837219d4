import { createHash } from 'node:crypto';

/** A query argument as Kong's `kong.request.get_query` gives it: a value, true for a bare name, a list when repeated. */
type Arg = string | true | (string | true)[];

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The client's query arguments by name, as Kong reads them (`?flag` is true, `?a=` is ''). */
export function queryArgs(rawQuery: string): Map<string, Arg> {
  const args = new Map<string, Arg>();
  if (rawQuery === '') return args;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (name === '') continue;
    const value: string | true = eq < 0 ? true : decode(part.slice(eq + 1));
    const cur = args.get(name);
    if (cur === undefined) args.set(name, value);
    else args.set(name, Array.isArray(cur) ? [...cur, value] : [cur, value]);
  }
  return args;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `field=value` parts joined by ':' for the fields present, lists sorted and joined by ',' (Kong's `generate_key_from`). */
function keyFrom(get: (field: string) => Arg | undefined, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    const arg = get(field);
    if (arg === undefined) continue;
    if (Array.isArray(arg))
      parts.push(
        `${field}=${arg
          .map((v) => (v === true ? 'true' : v))
          .sort(byteOrder)
          .join(',')}`,
      );
    else if (arg === true) parts.push(field);
    else parts.push(`${field}=${arg}`);
  }
  return parts.join(':');
}

export interface KeyInput {
  consumerId: string | null;
  routeId: string | null;
  method: string;
  /** nginx's `$request` with everything from the first '?' removed (see `requestLineKey`). */
  uri: string;
  rawQuery: string;
  /** Every line of a request header (name lower-case), as sent. */
  headerLines: (name: string) => string[];
  varyQueryParams: readonly string[] | null;
  varyHeaders: readonly string[] | null;
}

/**
 * nginx's `$request` ("GET /a?b HTTP/1.1") with the query cut off the way
 * Kong cuts it: from the '?' to the end, so a request without a query keeps
 * its " HTTP/1.1" tail. Reproduced so keys are Kong's keys.
 */
export function requestLineKey(method: string, requestUri: string, httpVersion: string): string {
  const line = `${method} ${requestUri} HTTP/${httpVersion}`;
  const q = line.indexOf('?');
  return q < 0 ? line : line.slice(0, q);
}

/**
 * Kong's proxy-cache key: the sha256 (hex) of
 * `prefix|method|uri|query part|header part`, where the prefix is
 * `consumer:route`, `route` or `default`, the query part has every argument
 * (sorted by name) unless `vary_query_params` names some, and the header
 * part only the `vary_headers` (none by default).
 */
export function buildCacheKey(k: KeyInput): string {
  const prefix = k.consumerId !== null && k.routeId !== null ? `${k.consumerId}:${k.routeId}` : (k.routeId ?? 'default');
  const args = queryArgs(k.rawQuery);
  const paramFields = k.varyQueryParams !== null && k.varyQueryParams.length > 0 ? k.varyQueryParams : [...args.keys()].sort(byteOrder);
  const params = keyFrom((f) => args.get(f), paramFields);
  const headers =
    k.varyHeaders !== null && k.varyHeaders.length > 0
      ? keyFrom((f) => {
          const lines = k.headerLines(f.toLowerCase());
          return lines.length === 0 ? undefined : lines.length === 1 ? lines[0] : lines;
        }, k.varyHeaders)
      : '';
  return createHash('sha256').update(`${prefix}|${k.method}|${k.uri}|${params}|${headers}`).digest('hex');
}
