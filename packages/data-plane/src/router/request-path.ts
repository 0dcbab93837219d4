/** RFC 3986 reserved characters (and `%`): their escapes keep their meaning, so Kong never decodes them. */
const RESERVED = "!*'();:@&=+$,/?%#[]";
const KEEP_ENCODED: readonly boolean[] = Array.from({ length: 256 }, (_, byte) => RESERVED.includes(String.fromCharCode(byte)));
const ESCAPE_TRIPLET = /%([0-9A-Fa-f]{2})/g;

function decodeTriplet(whole: string, hex: string): string {
  const byte = parseInt(hex, 16);
  return KEEP_ENCODED[byte] === true ? whole.toUpperCase() : String.fromCharCode(byte);
}

const SLASH = 47;
const DOT = 46;

/**
 * RFC 3986 §5.2.4 dot-segment removal with runs of `/` merged, step for step
 * as Kong's `normalize(uri, true)` (kong/tools/uri.lua): the output is a
 * list of `/segment` pieces, `..` drops the last one.
 */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c0 = path.charCodeAt(i);
    const c1 = i + 1 < n ? path.charCodeAt(i + 1) : -1;
    const c2 = i + 2 < n ? path.charCodeAt(i + 2) : -1;
    const c3 = i + 3 < n ? path.charCodeAt(i + 3) : -1;
    if (c0 === SLASH && c1 === DOT && c2 === -1) {
      // "/." at the end: the directory itself
      out.push('/');
      break;
    } else if (c0 === SLASH && c1 === DOT && c2 === DOT && c3 === -1) {
      out.pop();
      out.push('/');
      break;
    } else if (c0 === DOT && (c1 === -1 || (c1 === DOT && c2 === -1))) {
      break;
    } else if (c0 === DOT && c1 === DOT && c2 === SLASH) {
      i += 3;
    } else if (c0 === DOT && c1 === SLASH) {
      i += 2;
    } else if (c0 === SLASH && c1 === DOT && c2 === SLASH) {
      i += 2;
    } else if (c0 === SLASH && c1 === DOT && c2 === DOT && c3 === SLASH) {
      i += 3;
      out.pop();
    } else if (c0 === SLASH && c1 === SLASH) {
      i += 1;
    } else {
      const next = path.indexOf('/', i + 1);
      const end = next < 0 ? n : next;
      out.push(path.slice(i, end));
      i = end;
    }
  }
  return out.join('');
}

/**
 * Kong's request-path normalization before routing (kong/tools/uri.lua
 * `normalize` with `merge_slashes`): every percent-escape is decoded except
 * those of reserved characters, which keep their encoding with upper-case
 * hex (`%2f` → `%2F`); then `.` and `..` segments are resolved and runs of
 * `/` merged, so `/a/../b`, `/a/./b` and `/a//b` route (and run plugins) as
 * `/a/b`. The common case (no `%`, no `/.`, no `//`) is two or three scans
 * and no allocation. The result can hold characters that are not safe in a
 * request line (a decoded space); `escapePath` makes it safe again.
 */
export function normalizePath(path: string): string {
  let out = path.includes('%') ? path.replace(ESCAPE_TRIPLET, decodeTriplet) : path;
  if (out.includes('/.') || out.includes('//')) out = removeDotSegments(out);
  return out;
}

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
