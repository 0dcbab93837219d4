/** A media type split as Kong's `parse_mime_type`: type and subtype lower-case, parameter names lower-case. */
interface MediaType {
  type: string;
  subtype: string;
  params: Map<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const TYPE = new RegExp(`^\\s*(?:(${TOKEN})/(${TOKEN})|(\\*))`);
const PARAM = new RegExp(`^\\s*;\\s*(${TOKEN})=(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")`);

export function parseMediaType(value: string): MediaType | null {
  const m = TYPE.exec(value);
  if (m === null) return null;
  const params = new Map<string, string>();
  let rest = value.slice(m[0].length);
  for (let p = PARAM.exec(rest); p !== null; p = PARAM.exec(rest)) {
    params.set((p[1] ?? '').toLowerCase(), p[2] ?? p[3] ?? '');
    rest = rest.slice(p[0].length);
  }
  if (m[3] !== undefined) return { type: '*', subtype: '*', params };
  return { type: (m[1] ?? '').toLowerCase(), subtype: (m[2] ?? '').toLowerCase(), params };
}

/**
 * Kong's content_type check: the response's type matches one listed
 * (`*` matching any type or subtype) with exactly the same parameters.
 * A missing, empty or repeated Content-Type never matches.
 */
export function contentTypeMatches(contentType: string | undefined, allowed: readonly string[]): boolean {
  if (contentType === undefined || contentType === '') return false;
  const got = parseMediaType(contentType);
  if (got === null) return false;
  return allowed.some((a) => {
    const want = parseMediaType(a);
    if (want === null) return false;
    if (!(want.type === '*' || want.type === got.type) || !(want.subtype === '*' || want.subtype === got.subtype)) return false;
    if (want.params.size !== got.params.size) return false;
    for (const [k, v] of want.params) if (got.params.get(k) !== v) return false;
    return true;
  });
}
