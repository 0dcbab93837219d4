import type { RouteHeaders } from './types';
import { compileConfiguredRegex } from './linear-regex';

/** One header of a route's `headers` condition, compiled. */
export interface HeaderCondition {
  /**
   * The request header names looked up, in order; the first one the request
   * has decides. Kong treats `_` and `-` in a route's header name alike: it
   * reads the name with underscores first, then with hyphens (nginx's
   * header table), so `user_agent` routes on `User-Agent`.
   */
  names: readonly string[];
  /** Plain values, lower case. */
  values: ReadonlySet<string>;
  /** `~*` values: case-insensitive regexes (protocol's translator). */
  patterns: readonly RegExp[];
}

/** Compiles a route's `headers`; `host` is left out (Kong routes on Host only through `hosts`). Throws for a refused `~*` regex. */
export function compileHeaderConditions(headers: Readonly<Record<string, readonly string[]>>): HeaderCondition[] {
  const out: HeaderCondition[] = [];
  for (const [rawName, rawValues] of Object.entries(headers)) {
    const lower = rawName.toLowerCase();
    if (lower === 'host' || rawValues.length === 0) continue;
    const underscored = lower.replaceAll('-', '_');
    const hyphenated = lower.replaceAll('_', '-');
    const values = new Set<string>();
    const patterns: RegExp[] = [];
    for (const v of rawValues) {
      if (v.startsWith('~*')) patterns.push(compileConfiguredRegex(v.slice(2), { caseInsensitive: true }));
      else values.add(v.toLowerCase());
    }
    out.push({ names: underscored === hyphenated ? [lower] : [underscored, hyphenated], values, patterns });
  }
  return out;
}

function lineMatches(cond: HeaderCondition, line: string): boolean {
  if (cond.values.size > 0 && cond.values.has(line.toLowerCase())) return true;
  for (const re of cond.patterns) if (re.test(line)) return true;
  return false;
}

/**
 * True when every condition holds. Each header line is one value, as in
 * Kong: a condition holds when any line of its header matches, and a line
 * that contains commas is compared whole (it is never split).
 */
export function headersMatch(conds: readonly HeaderCondition[], headers: RouteHeaders): boolean {
  // Read only here: Node builds `headersDistinct` on first access, so requests never tested against a header condition do not pay for it.
  const lines = headers.headersDistinct;
  if (lines === undefined) return false;
  for (const cond of conds) {
    let found: readonly string[] | undefined;
    for (const name of cond.names) {
      found = lines[name];
      if (found !== undefined) break;
    }
    if (found?.some((line) => lineMatches(cond, line)) !== true) return false;
  }
  return true;
}
