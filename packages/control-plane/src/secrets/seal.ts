import { KeyDecryptionError, openPrivateKey, sealPrivateKey, type SecretKey } from '../certificates/key-encryption';

/** A stored secret the installation's key does not open (GATEHOUSE_SECRET_KEY changed since it was set). */
export class SecretDecryptionError extends Error {
  constructor(
    readonly secretName: string,
    cause: unknown,
  ) {
    super(`cannot decrypt secret '${secretName}': GATEHOUSE_SECRET_KEY differs from the one it was stored with; set it again`, { cause });
  }
}

/**
 * Seals a secret's value for the database with the scheme of the CA private
 * keys (AES-256-GCM, a key derived from GATEHOUSE_SECRET_KEY by HKDF with a
 * fresh salt per value): one at-rest encryption for the whole installation.
 */
export function sealSecret(value: string, key: SecretKey): string {
  return sealPrivateKey(value, key);
}

/** Opens a value sealed by {@link sealSecret}. */
export function openSecret(name: string, sealed: string, key: SecretKey): string {
  try {
    return openPrivateKey(sealed, key);
  } catch (err) {
    throw err instanceof KeyDecryptionError ? new SecretDecryptionError(name, err) : err;
  }
}
