import type { PluginContext } from '../context';

/** Where the plugin looks for a token (Kong's `uri_param_names`, `cookie_names`, `header_names`). */
export interface TokenPlaces {
  uriParamNames: readonly string[];
  cookieNames: readonly string[];
  /** Lower-cased. */
  headerNames: readonly string[];
}

const BEARER = /\s*[Bb]earer\s+(.+)/;

/** The value of the first cookie named `name` in a Cookie header (nginx's `$cookie_<name>`), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Every distinct non-empty token the request carries, looked up as Kong's
 * `retrieve_tokens` does: each query argument of the names (all its values),
 * each cookie, then each header's `Bearer <token>` (its first line). The
 * caller tells none, one and several apart.
 */
export function findTokens(ctx: PluginContext, places: TokenPlaces): Set<string> {
  const tokens = new Set<string>();
  if (places.uriParamNames.length > 0 && ctx.requestQuery !== '') {
    const query = ctx.query();
    for (const name of places.uriParamNames) for (const v of query.getAll(name)) if (v !== '') tokens.add(v);
  }
  if (places.cookieNames.length > 0) {
    const cookies = ctx.header('cookie');
    for (const name of places.cookieNames) {
      const v = cookieValue(cookies, name);
      if (v !== undefined && v !== '') tokens.add(v);
    }
  }
  for (const name of places.headerNames) {
    const line = ctx.headerLines(name)[0];
    if (line === undefined) continue;
    const token = BEARER.exec(line)?.[1];
    if (token !== undefined && token !== '') tokens.add(token);
  }
  return tokens;
}
