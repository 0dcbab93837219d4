import { normalizeTextPath } from '../paths/normalize';

/** The `_format_version` values Gatehouse reads: Kong 1.x/2.x files and Kong 3.x files. */
export const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

/** The version dumps are written in. */
export const CURRENT_FORMAT_VERSION: FormatVersion = '3.0';

export function isFormatVersion(v: unknown): v is FormatVersion {
  return typeof v === 'string' && (FORMAT_VERSIONS as readonly string[]).includes(v);
}

// Before 3.0 a regex path had no `~` marker: Kong 3 treats any path with a
// character outside this set as a regex when it reads an older file.
const PLAIN_PATH = /^[A-Za-z0-9.\-_~/%]*$/;

// Percent-escapes of characters that are regex metacharacters must stay
// literal once the path becomes a regex; reserved ones stay encoded.
const RESERVED = new Set("!#$%&'()*+,/:;=?@[]".split('').map((c) => c.charCodeAt(0)));
const REGEX_META = new Set('.^-{}\\|'.split('').map((c) => c.charCodeAt(0)));

function decodeForRegex(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (whole, hex: string) => {
    const code = parseInt(hex, 16);
    if (RESERVED.has(code)) return whole.toUpperCase();
    const ch = String.fromCharCode(code);
    return REGEX_META.has(code) ? `\\${ch}` : ch;
  });
}

/**
 * Rewrites a route path from a 1.1/2.1 file the way Kong 3 does: a plain path
 * is normalized (3.0 refuses one that is not), any other becomes a `~` regex
 * path. Paths of 3.0 files are unchanged.
 */
export function upgradeRoutePath(path: unknown, version: FormatVersion): unknown {
  if (version === '3.0' || typeof path !== 'string' || path.startsWith('~')) return path;
  return PLAIN_PATH.test(path) ? normalizeTextPath(path) : `~${decodeForRegex(path)}`;
}
