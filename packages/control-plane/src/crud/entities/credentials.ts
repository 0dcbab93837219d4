import { randomBytes } from 'node:crypto';
import { acl, aclInput, basicAuthCredential, basicAuthInput, keyAuthCredential, keyAuthInput } from '@gatehouse/protocol';
import { hashPassword, sha256Hex } from '@gatehouse/protocol/node';
import type { Delegate, EntityDef, ForeignKey, Nesting } from '../entity';
import { consumers } from './consumers';

const consumerKey: ForeignKey = { field: 'consumer', column: 'consumerId', target: () => consumers };
const underConsumer: Nesting = { parent: () => consumers, field: 'consumer', inBody: false };

/**
 * key-auth credentials, under `/consumers/{id}/key-auth`. Only the SHA-256
 * (hex) of a key is stored; with no `key` in the body the CP generates one.
 * Either way the key is in the creation answer and never again.
 */
export const keyAuth: EntityDef = {
  path: 'key-auth',
  label: 'key-auth credential',
  model: (tx) => tx.keyAuthCredential as unknown as Delegate,
  input: keyAuthInput,
  output: keyAuthCredential,
  endpointKey: null,
  foreignKeys: [consumerKey],
  nesting: [underConsumer],
  topLevel: false,
  updatable: false,
  async prepare(input) {
    const key = typeof input.key === 'string' ? input.key : randomBytes(24).toString('base64url');
    return { input: { tags: input.tags, key_hash: sha256Hex(key) }, reveal: { key } };
  },
};

/** basic-auth credentials: `username` unique in the runtime group; the password kept only as an scrypt hash. */
export const basicAuth: EntityDef = {
  path: 'basic-auth',
  label: 'basic-auth credential',
  model: (tx) => tx.basicAuthCredential as unknown as Delegate,
  input: basicAuthInput,
  output: basicAuthCredential,
  endpointKey: 'username',
  foreignKeys: [consumerKey],
  nesting: [underConsumer],
  topLevel: false,
  updatable: false,
  async prepare(input) {
    return { input: { username: input.username, tags: input.tags, password_hash: await hashPassword(String(input.password)) } };
  },
};

/** ACL group memberships of a consumer: a group once per consumer. */
export const acls: EntityDef = {
  path: 'acls',
  label: 'acl',
  model: (tx) => tx.acl as unknown as Delegate,
  input: aclInput,
  output: acl,
  endpointKey: null,
  foreignKeys: [consumerKey],
  nesting: [underConsumer],
  topLevel: false,
  updatable: false,
};
