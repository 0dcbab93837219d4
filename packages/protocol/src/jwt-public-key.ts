import { createPublicKey } from 'node:crypto';
import { isSymmetricJwtAlgorithm } from './entities/jwt-secret';

/**
 * Kong's check of a jwt credential's `rsa_public_key` (it must load as a key):
 * 'invalid key' when OpenSSL cannot read the PEM, else null. HS credentials
 * and `{vault://…}` references are not checked here.
 */
export function jwtPublicKeyProblem(algorithm: string, pem: string | null | undefined): string | null {
  if (isSymmetricJwtAlgorithm(algorithm) || typeof pem !== 'string' || pem.trimStart().startsWith('{vault://')) return null;
  try {
    createPublicKey(pem);
    return null;
  } catch {
    return 'invalid key';
  }
}
