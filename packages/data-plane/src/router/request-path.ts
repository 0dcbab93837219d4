/** Kong's `normalize(uri, true)`, shared with the CP's route path validation (packages/protocol). */
export { normalizePath } from '@gatehouse/protocol';

/** What Kong's `escape` leaves alone: reserved and unreserved characters, and `%`. */
const UNSAFE = /[^!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%]/;
const UNSAFE_ALL = /[^!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%]/g;

function percentEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  // A request path is latin1 here (one character per byte as received); anything wider is sent as UTF-8.
  if (code < 256) return `%${code < 16 ? '0' : ''}${code.toString(16).toUpperCase()}`;
  let escaped = '';
  for (const byte of Buffer.from(ch, 'utf8')) escaped += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
  return escaped;
}

/**
 * Kong's `escape` of the path sent upstream (kong/tools/uri.lua): every
 * character that is neither reserved nor unreserved (nor `%`) is
 * percent-encoded, so what normalization decoded (`%20` → space) goes
 * upstream encoded again. Paths that need nothing (nearly all) are only scanned.
 */
export function escapePath(path: string): string {
  return UNSAFE.test(path) ? path.replace(UNSAFE_ALL, percentEscape) : path;
}

/** Splits a raw request target into path and query (`?` kept out of both). */
export function splitTarget(url: string): { path: string; query: string | null } {
  const q = url.indexOf('?');
  if (q < 0) return { path: url, query: null };
  return { path: url.slice(0, q), query: url.slice(q + 1) };
}

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * An absolute-form request target (`http://host:port/path?q`, RFC 9112
 * §3.2.2) as its authority and origin-form (`/path?q`); null for any other
 * form. A server must route such a request by the target's authority, not
 * its Host header.
 */
export function absoluteTarget(url: string): { authority: string; originForm: string } | null {
  if (url.charCodeAt(0) === 47 /* '/' */) return null;
  const m = ABSOLUTE_FORM.exec(url);
  if (m === null) return null;
  const rest = url.slice(m[0].length);
  return { authority: (m[1] ?? '').replace(/^[^@]*@/, ''), originForm: rest.startsWith('/') ? rest : `/${rest}` };
}
