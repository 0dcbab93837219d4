import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'gatehouse ca private key v1';

/** The secret key does not open a sealed value (changed GATEHOUSE_SECRET_KEY, or tampering). */
export class KeyDecryptionError extends Error {
  constructor(cause?: unknown) {
    super('cannot decrypt a CA private key: GATEHOUSE_SECRET_KEY differs from the one it was encrypted with', { cause });
  }
}

/** The installation secret (GATEHOUSE_SECRET_KEY or the generated one), as text or bytes. */
export type SecretKey = string | Uint8Array;

function deriveKey(secret: SecretKey, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret, salt, INFO, 32));
}

/**
 * Encrypts a private key PEM at rest with AES-256-GCM. The AES key is derived
 * from the installation's secret with HKDF-SHA256 and a fresh salt per value,
 * so no two sealed values share a key/IV pair. Output:
 * `v1.<salt>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export function sealPrivateKey(plainPem: string, secret: SecretKey): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  const body = Buffer.concat([cipher.update(plainPem, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, salt, iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Reverses {@link sealPrivateKey}; throws {@link KeyDecryptionError} when the secret is wrong. */
export function openPrivateKey(sealed: string, secret: SecretKey): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new KeyDecryptionError(new Error('unknown sealed key format'));
  const [salt, iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new KeyDecryptionError(err);
  }
}
