const UNRESERVED = /[A-Za-z0-9\-._~]/;

function decodeUnreserved(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (whole, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : whole.toUpperCase();
  });
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const parts = path.split('/');
  for (const [i, seg] of parts.entries()) {
    if (i === 0) continue;
    if (seg === '.') {
      if (i === parts.length - 1) out.push('');
    } else if (seg === '..') {
      out.pop();
      if (i === parts.length - 1) out.push('');
    } else {
      out.push(seg);
    }
  }
  return `/${out.join('/')}`;
}

/**
 * Kong's request-path normalization before routing: percent-encoded
 * unreserved characters are decoded (others keep their encoding, hex upper
 * case) and `.`/`..` segments are resolved, so `/a/../b` cannot sneak past a
 * `/b` route's plugins. The common case (nothing to do) costs two scans.
 */
export function normalizePath(path: string): string {
  const hasPercent = path.includes('%');
  const hasDot = path.includes('/.');
  if (!hasPercent && !hasDot) return path;
  let out = hasPercent ? decodeUnreserved(path) : path;
  if (out.includes('/.')) out = removeDotSegments(out);
  return out;
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
