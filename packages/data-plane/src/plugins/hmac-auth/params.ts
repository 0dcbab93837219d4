/** What an `hmac username="…", algorithm="…", headers="…", signature="…"` credential line carries. */
export interface HmacParams {
  username: string;
  algorithm: string;
  /** The signed headers in order (split on single spaces, as Kong's `splitn`). */
  headers: string[];
  signature: string;
}

// Kong's pattern, greedy and unanchored as PCRE runs it: the fields in this order, each quoted.
const HMAC_LINE = /\s*[Hh]mac\s*username="(.+)",\s*algorithm="(.+)",\s*headers="(.+)",\s*signature="(.+)"/;

/** The parameters of an `Authorization` / `Proxy-Authorization` value, or null when it is not an hmac line. */
export function parseHmacParams(value: string | undefined): HmacParams | null {
  if (value === undefined) return null;
  const m = HMAC_LINE.exec(value);
  if (m === null) return null;
  const [, username = '', algorithm = '', headers = '', signature = ''] = m;
  return { username, algorithm, headers: headers.split(' '), signature };
}
