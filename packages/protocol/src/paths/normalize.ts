/**
 * Kong's path normalization (kong/tools/uri.lua `normalize(uri, true)`), the
 * one implementation shared by the DP (every request path before routing)
 * and the CP (route prefix paths must already be in this form).
 */

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
 * as Kong's `normalize(uri, true)`: the output is a list of `/segment`
 * pieces, `..` drops the last one.
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
 * `normalize` with `merge_slashes`) of a path held as bytes (one character
 * per byte, as Node hands over a request line): every percent-escape is
 * decoded except those of reserved characters, which keep their encoding
 * with upper-case hex (`%2f` → `%2F`); then `.` and `..` segments are
 * resolved and runs of `/` merged, so `/a/../b`, `/a/./b` and `/a//b` route
 * (and run plugins) as `/a/b`. The common case (no `%`, no `/.`, no `//`) is
 * two or three scans and no allocation. The result can hold characters that
 * are not safe in a request line (a decoded space).
 */
export function normalizePath(path: string): string {
  let out = path.includes('%') ? path.replace(ESCAPE_TRIPLET, decodeTriplet) : path;
  if (out.includes('/.') || out.includes('//')) out = removeDotSegments(out);
  return out;
}

// eslint-disable-next-line no-control-regex -- the test is "anything outside ASCII"
const NON_ASCII = /[^\u0000-\u007f]/;

/** A text path as its UTF-8 bytes, one character per byte: the form `normalizePath` works on. */
export function pathBytes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let bytes = '';
  for (const byte of new TextEncoder().encode(text)) bytes += String.fromCharCode(byte);
  return bytes;
}

/** The inverse of `pathBytes`: bytes that are not UTF-8 become U+FFFD. */
export function pathText(bytes: string): string {
  if (!NON_ASCII.test(bytes)) return bytes;
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
}

/**
 * `normalizePath` of a path written as text (a route's `paths` entry):
 * normalized as its UTF-8 bytes, as Kong sees it, so `/%C3%A4` is `/ä`.
 */
export function normalizeTextPath(path: string): string {
  return pathText(normalizePath(pathBytes(path)));
}
