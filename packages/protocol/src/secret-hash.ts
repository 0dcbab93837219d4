import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * How secrets are kept at rest. Passwords (users, basic-auth) use scrypt with a
 * random salt, written `scrypt$N$r$p$<salt>$<hash>` (base64url) so the cost can
 * be raised later without breaking stored hashes. Long random tokens (personal
 * access tokens, key-auth keys) use plain SHA-256 hex: they have enough entropy
 * that a slow KDF adds nothing, and a lookup by hash needs a deterministic one.
 */

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password with scrypt and a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, N, R, P, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True when `password` matches a hash made by hashPassword; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const [scheme, nText, rText, pText, saltText, expectedText] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || saltText === undefined || expectedText === undefined) return false;
  const [n, r, p] = [Number(nText), Number(rText), Number(pText)];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20) return false;
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(expectedText, 'base64url');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(password, salt, n, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

/** SHA-256 of a high-entropy secret (token, API key), lower-case hex. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
