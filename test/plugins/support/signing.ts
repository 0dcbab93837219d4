import { createHash, createHmac } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';

/** A key pair for an asymmetric JWT algorithm, with its public key in PEM (what a jwt credential's `rsa_public_key` holds). */
export async function jwtKeyPair(alg: string): Promise<{ privateKey: KeyLike; publicPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  return { privateKey, publicPem: await exportSPKI(publicKey) };
}

/** A compact JWT with `claims`, signed by jose in the test (the DP never sees how). */
export function signJwt(claims: Record<string, unknown>, alg: string, key: KeyLike | Uint8Array, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(key);
}

/** The Date header value for `offsetSeconds` from now. */
export function httpDate(offsetSeconds = 0): string {
  return new Date(Date.now() + offsetSeconds * 1000).toUTCString();
}

/**
 * An hmac-auth `Authorization` value computed in the test from Kong's rules:
 * `name: value` lines (the request line as is, `name:` for an absent header) joined by `\n`, HMAC'd with the secret, base64.
 */
export function hmacAuthorization(opts: {
  username: string;
  secret: string;
  algorithm: 'hmac-sha1' | 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512';
  /** Signed headers and their values; null for one the request lacks (signed as `name:`). */
  headers: [string, string | null][];
}): string {
  const signing = opts.headers.map(([n, v]) => (v === null ? `${n}:` : n === 'request-line' ? v : `${n}: ${v}`)).join('\n');
  const signature = createHmac(opts.algorithm.slice(5), opts.secret).update(signing).digest('base64');
  const names = opts.headers.map(([n]) => n).join(' ');
  return `hmac username="${opts.username}", algorithm="${opts.algorithm}", headers="${names}", signature="${signature}"`;
}

/** Kong's body digest header value. */
export function sha256Digest(body: string): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}
