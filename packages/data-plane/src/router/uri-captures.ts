import type { UriCaptures } from './types';

/**
 * Kong's `uri_captures` from a regex path's match: null when the regex has
 * no groups. Group numbers are the pattern's own: the translator
 * (protocol's translateRegex) adds no capturing group and keeps every one.
 */
export function uriCaptures(m: RegExpExecArray): UriCaptures | null {
  if (m.length < 2) return null;
  const named: Record<string, string> = {};
  const groups = m.groups;
  if (groups !== undefined) {
    for (const name of Object.keys(groups)) {
      const value = groups[name];
      if (value !== undefined) named[name] = value;
    }
  }
  return { unnamed: Array.from(m), named };
}
