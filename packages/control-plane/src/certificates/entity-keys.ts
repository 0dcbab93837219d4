import { openPrivateKey, sealPrivateKey, type SecretKey } from './key-encryption';

/**
 * The installation's secret for the private keys of gateway entities (a
 * certificate's `key` and `key_alt`): sealed at rest as the CA keys are
 * (AES-256-GCM, HKDF-derived key, a fresh salt per value). One control plane
 * runs per process; it sets the secret once at start (server.ts) before any
 * request or snapshot build, so the CRUD, the snapshot and the declarative
 * sync share it without each call carrying it.
 */
let current: SecretKey | undefined;

/** Sets the secret entity keys are sealed with (the CP's GATEHOUSE_SECRET_KEY, or its generated one). */
export function useEntityKeySecret(secret: SecretKey): void {
  current = secret;
}

function secret(): SecretKey {
  if (current === undefined) throw new Error('entity key sealing used before useEntityKeySecret (control plane not started)');
  return current;
}

/** Seals a private key PEM for storage. */
export function sealEntityKey(plainPem: string): string {
  return sealPrivateKey(plainPem, secret());
}

/** Opens a stored private key (for the snapshot, a dump, a PATCH's merge). */
export function openEntityKey(sealed: string): string {
  return openPrivateKey(sealed, secret());
}
