import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestContext } from '../proxy/request-context';

/**
 * Adds the cookie consistent hashing issued to this request (hash-input.ts)
 * to the response: `Set-Cookie: <hash_on_cookie>=<value>; Path=<hash_on_cookie_path>`,
 * as Kong's balancer does before the plugins' header_filter, after any
 * Set-Cookie lines of the upstream's own.
 */
export function addHashCookie(ctx: RequestContext, headers: OutgoingHttpHeaders): void {
  const c = ctx.hashCookie;
  if (c === null) return;
  const line = `${c.name}=${c.value}; Path=${c.path}`;
  const seen = headers['set-cookie'];
  headers['set-cookie'] = seen === undefined ? [line] : Array.isArray(seen) ? [...seen, line] : [seen, line];
}
