import { z } from 'zod';
import { serviceInput } from '../entities/service';
import { routeInput } from '../entities/route';
import { pluginInput } from '../entities/plugin';
import { consumerInput, keyAuthInput, basicAuthInput, aclInput } from '../entities/consumer';
import type { StateKind } from './state';

/** How a key-auth credential is written in a file: the key, or (as dumps write it) its SHA-256. */
export const declarativeKeyAuth = keyAuthInput
  .extend({ key_hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest').optional() })
  .superRefine((c, ctx) => {
    if ((c.key === undefined) === (c.key_hash === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'exactly one of key, key_hash is required in a declarative file' });
    }
  });

/** How a basic-auth credential is written: the password, or (as dumps write it) its stored hash. */
export const declarativeBasicAuth = basicAuthInput
  .extend({ password: z.string().min(1).max(1024).optional(), password_hash: z.string().min(1).max(1024).optional() })
  .superRefine((c, ctx) => {
    if ((c.password === undefined) === (c.password_hash === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'exactly one of password, password_hash is required' });
    }
  });

/** A reference field an entity may carry, and which kind it points to. */
export type RefField = 'service' | 'route' | 'consumer';

/** One entity kind of the file format: its schema, references and nested lists. */
export interface KindSpec {
  kind: StateKind;
  /** Singular, for messages. */
  noun: string;
  /** The entity schema from packages/protocol/src/entities (refs removed before parsing). */
  schema: z.ZodType;
  /** Reference fields, and whether a top-level entry must have them. */
  refs: Partial<Record<RefField, 'optional' | 'required'>>;
  /** Lists that may be nested in an entry, each a kind whose `ref` is set to this entry. */
  nested: Partial<Record<string, { kind: StateKind; ref: RefField }>>;
  /** Kong fields Gatehouse lacks: accepted when null or empty (as Kong dumps write them), an error otherwise. */
  kongOnly: readonly string[];
  /** Kong lists that may be nested but Gatehouse lacks: accepted only when empty. */
  kongOnlyLists: readonly string[];
}

/** The declarative kinds, by their list name in a file. */
export const KINDS: Record<StateKind, KindSpec> = {
  services: {
    kind: 'services',
    noun: 'service',
    schema: serviceInput,
    refs: {},
    nested: { routes: { kind: 'routes', ref: 'service' }, plugins: { kind: 'plugins', ref: 'service' } },
    kongOnly: ['client_certificate', 'tls_verify', 'tls_verify_depth', 'ca_certificates', 'tls_sans'],
    kongOnlyLists: [],
  },
  routes: {
    kind: 'routes',
    noun: 'route',
    schema: routeInput,
    refs: { service: 'optional' },
    nested: { plugins: { kind: 'plugins', ref: 'route' } },
    kongOnly: ['snis', 'sources', 'destinations', 'expression', 'priority'],
    kongOnlyLists: [],
  },
  consumers: {
    kind: 'consumers',
    noun: 'consumer',
    schema: consumerInput,
    refs: {},
    nested: {
      plugins: { kind: 'plugins', ref: 'consumer' },
      keyauth_credentials: { kind: 'keyauth_credentials', ref: 'consumer' },
      basicauth_credentials: { kind: 'basicauth_credentials', ref: 'consumer' },
      acls: { kind: 'acls', ref: 'consumer' },
    },
    kongOnly: [],
    kongOnlyLists: ['groups', 'jwt_secrets', 'hmacauth_credentials', 'oauth2_credentials', 'mtls_auth_credentials'],
  },
  plugins: {
    kind: 'plugins',
    noun: 'plugin',
    schema: pluginInput,
    refs: { service: 'optional', route: 'optional', consumer: 'optional' },
    nested: {},
    kongOnly: ['ordering', 'consumer_group'],
    kongOnlyLists: [],
  },
  keyauth_credentials: {
    kind: 'keyauth_credentials',
    noun: 'key-auth credential',
    schema: declarativeKeyAuth,
    refs: { consumer: 'required' },
    nested: {},
    kongOnly: ['ttl'],
    kongOnlyLists: [],
  },
  basicauth_credentials: {
    kind: 'basicauth_credentials',
    noun: 'basic-auth credential',
    schema: declarativeBasicAuth,
    refs: { consumer: 'required' },
    nested: {},
    kongOnly: [],
    kongOnlyLists: [],
  },
  acls: {
    kind: 'acls',
    noun: 'acl',
    schema: aclInput,
    refs: { consumer: 'required' },
    nested: {},
    kongOnly: [],
    kongOnlyLists: [],
  },
};

/** Top-level Kong lists Gatehouse does not have: accepted only when empty. */
export const KONG_ONLY_TOP_LEVEL = [
  'upstreams',
  'targets',
  'certificates',
  'ca_certificates',
  'snis',
  'consumer_groups',
  'vaults',
  'jwt_secrets',
  'hmacauth_credentials',
  'oauth2_credentials',
  'mtls_auth_credentials',
  'key_sets',
  'keys',
  'filter_chains',
] as const;
