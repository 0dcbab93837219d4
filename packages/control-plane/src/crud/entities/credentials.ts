import { randomBytes } from 'node:crypto';
import { hashPassword, jwtPublicKeyProblem, sha256Hex } from '@gatehouse/protocol/node';
import { schemaViolation } from '../../http/api-error';
import type { EntityHooks } from '../entity';

/**
 * key-auth: only the SHA-256 (hex) of a key is stored; with no `key` in the
 * body the CP generates one. Either way the key is in the creation answer and
 * never again.
 */
export const keyAuthHooks: EntityHooks = {
  prepare(input) {
    const key = typeof input.key === 'string' ? input.key : randomBytes(24).toString('base64url');
    return Promise.resolve({ input: { tags: input.tags, key_hash: sha256Hex(key) }, reveal: { key } });
  },
};

/** basic-auth: the password is kept only as an scrypt hash. */
export const basicAuthHooks: EntityHooks = {
  async prepare(input) {
    return { input: { username: input.username, tags: input.tags, password_hash: await hashPassword(String(input.password)) } };
  },
};

/** Kong's `random_string()`: 32 letters and digits from 24 random bytes. */
export function randomCredentialString(): string {
  return randomBytes(24)
    .toString('base64url')
    .replace(/[-_]/g, (c) => (c === '-' ? 'A' : 'z'));
}

/**
 * jwt: `key` and `secret` generated when absent (Kong's `auto`); the public
 * key of an RS/ES/PS/EdDSA credential must load (Kong's `invalid key`).
 */
export const jwtHooks: EntityHooks = {
  prepare(input) {
    const problem = jwtPublicKeyProblem(String(input.algorithm), input.rsa_public_key as string | null | undefined);
    if (problem !== null) throw schemaViolation({ rsa_public_key: problem });
    return Promise.resolve({
      input: {
        ...input,
        key: typeof input.key === 'string' ? input.key : randomCredentialString(),
        secret: typeof input.secret === 'string' ? input.secret : randomCredentialString(),
        rsa_public_key: input.rsa_public_key ?? null,
      },
    });
  },
};

/** hmac-auth: the `secret` generated when absent (Kong's `auto`). */
export const hmacAuthHooks: EntityHooks = {
  prepare(input) {
    return Promise.resolve({ input: { ...input, secret: typeof input.secret === 'string' ? input.secret : randomCredentialString() } });
  },
};
