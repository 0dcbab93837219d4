import { regexProblem } from '../regex/translate';
import { normalizePath, pathBytes, pathText } from './normalize';

/** Kong's `validate_path` character set: unreserved, reserved sub-delims, `:`, `@`, `/` and `%`. */
const RFC3986_PATH = /^\/[A-Za-z0-9._~/%:@!$&'()*+,;=-]*$/;
const ESCAPE_TRIPLET = /%[0-9A-Fa-f]{2}/g;

/** Gatehouse's own bound; Kong sets none. */
const MAX_LENGTH = 1024;

/**
 * A badly written escape (`%2G`, a trailing `%`) as Kong's `validate_path`
 * reports it: the `%` and up to two characters after it. Kong looks only at
 * paths made of RFC 3986 path characters; others are let through to the
 * normalization check.
 */
function escapeProblem(path: string): string | null {
  if (!RFC3986_PATH.test(path)) return null;
  const raw = path.replace(ESCAPE_TRIPLET, '___');
  const at = raw.indexOf('%');
  return at < 0 ? null : `invalid url-encoded value: '${raw.slice(at, at + 3)}'`;
}

/**
 * What is wrong with one route `paths` entry, in the order and words of
 * Kong's `router_path` typedef (kong/db/schema/typedefs.lua), or null:
 * empty, too long (Gatehouse's bound), an empty segment (`//`, regex paths
 * included), not starting with `/` or `~/`, a bad percent-escape, a prefix
 * path not in the normalized form the DP routes requests by (the message
 * names that form), a regex the gateway cannot run.
 */
export function routePathProblem(path: string): string | null {
  if (path.length === 0) return 'length must be at least 1';
  if (path.length > MAX_LENGTH) return `length must be at most ${MAX_LENGTH}`;
  if (path.includes('//')) return 'must not have empty segments';
  if (!path.startsWith('/') && !path.startsWith('~/')) return 'should start with: / (fixed path) or ~/ (regex path)';
  const escape = escapeProblem(path);
  if (escape !== null) return escape;
  if (path.startsWith('~')) return regexProblem(path.slice(1));
  const bytes = pathBytes(path);
  const normalized = normalizePath(bytes);
  return normalized === bytes ? null : `non-normalized path, consider use '${pathText(normalized)}' instead`;
}
