import { JWT_ALGORITHMS } from '@gatehouse/protocol';

/** A token split and decoded as Kong's jwt_parser does it, before any signature check. */
export interface DecodedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  alg: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const ALGORITHMS: ReadonlySet<string> = new Set(JWT_ALGORITHMS);

function decodeJsonObject(part: string | undefined): Record<string, unknown> | null {
  if (part === undefined || !BASE64URL.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The header and claims of a compact JWS, or the reason Kong gives after
 * `Bad token; `: `invalid JSON` (a part that is not base64url JSON, or fewer
 * than three parts), `invalid alg` (an `alg` Kong does not verify),
 * `invalid signature` (a signature part that is not base64url).
 */
export function decodeToken(token: string): DecodedToken | { error: string } {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0) return { error: 'invalid JSON' };
  const header = decodeJsonObject(token.slice(0, first));
  const claims = decodeJsonObject(token.slice(first + 1, second));
  if (header === null || claims === null) return { error: 'invalid JSON' };
  const alg = header.alg;
  if (typeof alg !== 'string' || !ALGORITHMS.has(alg)) return { error: 'invalid alg' };
  if (!BASE64URL.test(token.slice(second + 1))) return { error: 'invalid signature' };
  return { header, claims, alg };
}
