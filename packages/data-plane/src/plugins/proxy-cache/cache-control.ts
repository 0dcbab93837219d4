/** A parsed Cache-Control header: directive (lower-case) → its number, its string, or true when it has no value. */
export type Directives = ReadonlyMap<string, number | string | true>;

const EMPTY: Directives = new Map();

/**
 * Parses Cache-Control as Kong's `parse_directive_header`: comma-separated
 * directives, `name=value` with the value taken as a number when it is one.
 * Repeated header lines are read as one joined by ", ".
 */
export function parseDirectives(header: string | string[] | number | undefined): Directives {
  if (header === undefined) return EMPTY;
  const text = Array.isArray(header) ? header.join(', ') : String(header);
  const out = new Map<string, number | string | true>();
  for (const part of text.split(',')) {
    const m = /^\s*([^=]+)(?:=(.+))?/.exec(part);
    if (m?.[1] === undefined) continue;
    const raw = m[2];
    const n = raw === undefined ? NaN : Number(raw.trim());
    out.set(m[1].toLowerCase(), raw === undefined ? true : raw.trim() !== '' && Number.isFinite(n) ? n : raw);
  }
  return out;
}

/** A directive's value as a number of seconds, undefined when absent or not a number. */
export function seconds(cc: Directives, name: string): number | undefined {
  const v = cc.get(name);
  return typeof v === 'number' ? v : undefined;
}

/**
 * How long a response may be served (Kong's `calculate_resource_ttl`):
 * `s-maxage`, else `max-age`, else `Expires` minus now; never below 0.
 */
export function resourceTtl(cc: Directives, expires: string | string[] | number | undefined, nowMs: number): number {
  let maxAge = seconds(cc, 's-maxage') ?? seconds(cc, 'max-age');
  if (maxAge === undefined && expires !== undefined) {
    const last = Array.isArray(expires) ? expires[expires.length - 1] : String(expires);
    const at = last === undefined ? NaN : Date.parse(last);
    if (Number.isFinite(at)) maxAge = Math.floor(at / 1000) - Math.floor(nowMs / 1000);
  }
  return maxAge === undefined ? 0 : Math.max(maxAge, 0);
}
