import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { isSymmetricJwtAlgorithm } from '@gatehouse/protocol';
import type { JwtCredential } from '../consumers';

/** Public keys parsed once per credential object (a snapshot's index holds each credential once). */
const publicKeys = new WeakMap<JwtCredential, KeyObject | null>();

function publicKeyOf(cred: JwtCredential): KeyObject | null {
  let key = publicKeys.get(cred);
  if (key === undefined) {
    try {
      key = cred.rsaPublicKey === null ? null : createPublicKey(cred.rsaPublicKey);
    } catch {
      key = null;
    }
    publicKeys.set(cred, key);
  }
  return key;
}

/**
 * What a token of this credential is verified with (Kong: the secret,
 * base64url-decoded with `secret_is_base64`, for HS; the public key
 * otherwise), or null when the credential has none (`Invalid key/secret`).
 */
export function verificationKey(cred: JwtCredential, secretIsBase64: boolean): Uint8Array | KeyObject | null {
  if (!isSymmetricJwtAlgorithm(cred.algorithm)) return publicKeyOf(cred);
  if (cred.secret === null) return null;
  return secretIsBase64 ? Buffer.from(cred.secret, 'base64url') : Buffer.from(cred.secret, 'utf8');
}

/** True when `token`'s signature verifies with `key` under the credential's algorithm (jose; any failure is false). */
export async function signatureValid(token: string, key: Uint8Array | KeyObject, algorithm: string): Promise<boolean> {
  try {
    await compactVerify(token, key, { algorithms: [algorithm] });
    return true;
  } catch {
    return false;
  }
}
