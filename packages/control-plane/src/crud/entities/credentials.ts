import { randomBytes } from 'node:crypto';
import { hashPassword, sha256Hex } from '@gatehouse/protocol/node';
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
