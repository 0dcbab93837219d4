import { canonicalJson } from '../canonical-json';
import { service, serviceInput } from '../entities/service';
import { route, routeInput } from '../entities/route';
import { plugin, pluginInput } from '../entities/plugin';
import { upstream, upstreamInput } from '../entities/upstream';
import { target, targetInput } from '../entities/target';
import { certificate, certificateInput, declarativeCertificate, snapshotCertificate } from '../entities/certificate';
import { declarativeSni, sni, sniInput } from '../entities/sni';
import { caCertificate, caCertificateInput, snapshotCaCertificate } from '../entities/ca-certificate';
import { certificateTag } from '../entities/pem';
import {
  acl,
  aclInput,
  basicAuthCredential,
  basicAuthInput,
  consumer,
  consumerInput,
  declarativeBasicAuth,
  declarativeKeyAuth,
  keyAuthCredential,
  keyAuthInput,
  snapshotAcl,
  snapshotBasicAuth,
  snapshotKeyAuth,
} from '../entities/consumer';
import { declarativeJwt, jwtCredential, jwtInput, snapshotJwt } from '../entities/jwt-secret';
import { declarativeHmacAuth, hmacAuthCredential, hmacAuthInput, snapshotHmacAuth } from '../entities/hmac-credential';
import { defineEntity, type ReferenceSpec } from './entity-spec';

/**
 * The gateway entities of a runtime group, one entry each. Declarative keys
 * are computed on fields whose references are already the referenced
 * entity's key (see declarative/state.ts).
 */

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
/** A route's source or destination as `ip:port` (either may be empty), the same whether a file omits a null field or not. */
const endpointText = (e: unknown): string => {
  const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
  return `${text(o.ip) ?? ''}:${typeof o.port === 'number' ? o.port : ''}`;
};

const belongsToConsumer: ReferenceSpec = { field: 'consumer', entity: 'consumers', required: true, onDelete: 'cascade', nested: true, inBody: false };
const scopedTo = (field: string, entity: string): ReferenceSpec => ({ field, entity, required: false, onDelete: 'cascade', nested: true, inBody: true });

const common = {
  alsoUnique: [],
  lookupNames: [],
  topLevel: true,
  updatable: true,
  deepMerge: [],
  secretFields: [],
  sealedFields: [],
  computed: [],
  idLists: [],
  revealOnCreate: [],
  replaceWhenChanged: [],
  kongOnlyLists: [],
} as const;
const credential = { ...common, uniqueIn: 'runtime_group', topLevel: false, updatable: false } as const;

/**
 * CA certificates (Kong's CA Certificate): trusted roots for verifying
 * upstreams (a service's `ca_certificates`); `cert_digest` (SHA-256 of the
 * DER, hex) unique in the runtime group and the declarative key.
 */
export const CA_CERTIFICATES = defineEntity({
  ...common,
  name: 'ca_certificates',
  noun: 'ca certificate',
  path: 'ca_certificates',
  model: 'caCertificate',
  input: caCertificateInput,
  output: caCertificate,
  snapshot: snapshotCaCertificate,
  declarative: caCertificateInput,
  endpointKey: null,
  uniqueIn: 'runtime_group',
  alsoUnique: ['cert_digest'],
  references: [],
  computed: ['expires_at', 'expiry_state'],
  kongOnly: [],
  // The CP fills a file's missing digest before it compares; until then the certificate itself tells them apart.
  key: (f) => text(f.cert_digest) ?? certificateTag(String(f.cert)),
  keyField: (f) => (text(f.cert_digest) !== null ? 'cert_digest' : 'cert'),
});

/**
 * Certificates (Kong's Certificate): a certificate and its private key, and
 * an alternative pair of the other key type. The keys are sealed at rest and
 * never answered; data planes get them in the snapshot. Known by their
 * certificate (no name); `snis` in an API body is Kong's shortcut for the
 * SNI entities pointing at it.
 */
export const CERTIFICATES = defineEntity({
  ...common,
  name: 'certificates',
  noun: 'certificate',
  path: 'certificates',
  model: 'certificate',
  input: certificateInput,
  output: certificate,
  snapshot: snapshotCertificate,
  declarative: declarativeCertificate,
  endpointKey: null,
  uniqueIn: 'runtime_group',
  references: [],
  secretFields: ['key', 'key_alt'],
  sealedFields: ['key', 'key_alt'],
  computed: ['snis', 'expires_at', 'expiry_state'],
  kongOnly: [],
  key: (f) => certificateTag(String(f.cert)),
  keyField: () => 'cert',
});

/**
 * SNIs (Kong's SNI): a server name (exact, `*.example.com` or `example.*`)
 * and the certificate served for it; name unique in the runtime group.
 * Reachable top level and under their certificate, nested in it in files;
 * deleting the certificate takes them along (Kong).
 */
export const SNIS = defineEntity({
  ...common,
  name: 'snis',
  noun: 'sni',
  path: 'snis',
  model: 'sni',
  input: sniInput,
  output: sni,
  snapshot: sni,
  declarative: declarativeSni,
  endpointKey: 'name',
  uniqueIn: 'runtime_group',
  lookupNames: ['name'],
  references: [{ field: 'certificate', entity: 'certificates', required: true, onDelete: 'cascade', nested: true, inBody: true }],
  kongOnly: [],
  key: (f) => String(f.name),
  keyField: () => 'name',
});

/** Gateway services (Kong's Service): name unique in the runtime group; an unnamed one is known by where it points. */
export const SERVICES = defineEntity({
  ...common,
  name: 'services',
  noun: 'service',
  path: 'services',
  model: 'service',
  input: serviceInput,
  output: service,
  snapshot: service,
  declarative: serviceInput,
  endpointKey: 'name',
  uniqueIn: 'runtime_group',
  lookupNames: ['name'],
  // Kong refuses to delete a certificate a service presents to its upstream.
  references: [{ field: 'client_certificate', entity: 'certificates', required: false, onDelete: 'restrict', nested: false, inBody: true }],
  idLists: [{ field: 'ca_certificates', entity: 'ca_certificates' }],
  kongOnly: ['tls_sans'],
  key: (f) => text(f.name) ?? `(unnamed) ${String(f.protocol)}://${String(f.host)}:${String(f.port)}${text(f.path) ?? ''}`,
  keyField: () => 'name',
});

/**
 * Upstreams (Kong's Upstream): a virtual hostname a service's `host` names to
 * be balanced over the upstream's targets; name unique in the runtime group.
 */
export const UPSTREAMS = defineEntity({
  ...common,
  name: 'upstreams',
  noun: 'upstream',
  path: 'upstreams',
  model: 'upstream',
  input: upstreamInput,
  output: upstream,
  snapshot: upstream,
  declarative: upstreamInput,
  endpointKey: 'name',
  uniqueIn: 'runtime_group',
  lookupNames: ['name'],
  references: [],
  kongOnly: ['client_certificate'],
  key: (f) => String(f.name),
  keyField: () => 'name',
});

/**
 * Targets of an upstream, under `/upstreams/{u}/targets` only (as in Kong);
 * `target` (`host:port`) unique in its upstream, and the path key there.
 */
export const TARGETS = defineEntity({
  ...common,
  name: 'targets',
  noun: 'target',
  path: 'targets',
  model: 'target',
  input: targetInput,
  output: target,
  snapshot: target,
  declarative: targetInput,
  endpointKey: 'target',
  uniqueIn: 'runtime_group',
  topLevel: false,
  references: [{ field: 'upstream', entity: 'upstreams', required: true, onDelete: 'cascade', nested: true, inBody: false }],
  kongOnly: [],
  key: (f) => `${String(f.upstream)} ${String(f.target)}`,
  keyField: () => 'target',
});

/**
 * Routes (Kong's Route): name unique in the ORGANIZATION and case-sensitive;
 * reachable top-level and under their service. A service its routes still use
 * cannot be deleted, as in Kong. An unnamed route is known by its service and
 * what it matches.
 */
export const ROUTES = defineEntity({
  ...common,
  name: 'routes',
  noun: 'route',
  path: 'routes',
  model: 'route',
  input: routeInput,
  output: route,
  snapshot: route,
  declarative: routeInput,
  endpointKey: 'name',
  uniqueIn: 'organization',
  lookupNames: ['name'],
  references: [{ field: 'service', entity: 'services', required: false, onDelete: 'restrict', nested: true, inBody: true }],
  kongOnly: ['expression', 'priority'],
  key(f) {
    const name = text(f.name);
    if (name !== null) return name;
    const lists = { methods: list(f.methods), paths: list(f.paths), hosts: list(f.hosts), snis: list(f.snis), protocols: list(f.protocols) };
    const parts = Object.entries(lists)
      .filter(([, v]) => v.length > 0)
      .map(([k, v]) => `${k}=${v.join(',')}`);
    const headers = typeof f.headers === 'object' && f.headers !== null ? f.headers : {};
    if (Object.keys(headers).length > 0) parts.push(`headers=${canonicalJson(headers)}`);
    for (const field of ['sources', 'destinations'] as const) {
      const ends = Array.isArray(f[field]) ? (f[field] as unknown[]).map(endpointText) : [];
      if (ends.length > 0) parts.push(`${field}=${ends.join(',')}`);
    }
    return `(unnamed, service=${text(f.service) ?? '-'}) ${parts.join(' ')}`;
  },
  keyField: () => 'name',
});

/** Consumers: `username` and `custom_id` each unique in the runtime group; known by username, else custom_id. */
export const CONSUMERS = defineEntity({
  ...common,
  name: 'consumers',
  noun: 'consumer',
  path: 'consumers',
  model: 'consumer',
  input: consumerInput,
  output: consumer,
  snapshot: consumer,
  declarative: consumerInput,
  endpointKey: 'username',
  uniqueIn: 'runtime_group',
  lookupNames: ['username', 'custom_id'],
  references: [],
  kongOnly: [],
  kongOnlyLists: ['groups', 'oauth2_credentials', 'mtls_auth_credentials'],
  key: (f) => text(f.username) ?? `custom_id:${text(f.custom_id) ?? ''}`,
  keyField: (f) => (text(f.username) !== null ? 'username' : 'custom_id'),
});

/**
 * Plugin instances, scoped by `service`, `route` and `consumer` (each null
 * for "any"). As in Kong, one plugin name is configured once per scope
 * combination, which is also its declarative key; `instance_name` is unique
 * in the runtime group; PATCH merges `config` key by key.
 */
export const PLUGINS = defineEntity({
  ...common,
  name: 'plugins',
  noun: 'plugin',
  path: 'plugins',
  model: 'plugin',
  input: pluginInput,
  output: plugin,
  snapshot: plugin,
  declarative: pluginInput,
  endpointKey: 'instance_name',
  uniqueIn: 'runtime_group',
  alsoUnique: ['instance_name'],
  references: [scopedTo('service', 'services'), scopedTo('route', 'routes'), scopedTo('consumer', 'consumers')],
  deepMerge: ['config'],
  kongOnly: ['ordering', 'consumer_group'],
  key(f) {
    const scope = ['service', 'route', 'consumer'].flatMap((r) => (text(f[r]) === null ? [] : [`${r}=${text(f[r]) ?? ''}`]));
    return `${String(f.name)} (${scope.length === 0 ? 'global' : scope.join(', ')})`;
  },
  keyField: () => 'name',
});

/**
 * key-auth credentials, under `/consumers/{id}/key-auth`. Only the SHA-256
 * (hex) of a key is stored and shipped; with no `key` the CP generates one,
 * shown in the creation answer and never again. A key identifies its
 * consumer, so it is unique in the runtime group.
 */
export const KEYAUTH_CREDENTIALS = defineEntity({
  ...credential,
  name: 'keyauth_credentials',
  noun: 'key-auth credential',
  path: 'key-auth',
  model: 'keyAuthCredential',
  input: keyAuthInput,
  output: keyAuthCredential,
  snapshot: snapshotKeyAuth,
  declarative: declarativeKeyAuth,
  endpointKey: null,
  alsoUnique: ['key', 'key_hash'],
  references: [belongsToConsumer],
  secretFields: ['key', 'key_hash'],
  revealOnCreate: ['key'],
  kongOnly: ['ttl'],
  key: (f) => `${String(f.consumer)} ${text(f.key_hash) !== null ? `sha256:${text(f.key_hash) ?? ''}` : `key:${text(f.key) ?? ''}`}`,
  keyField: (f) => (f.key !== undefined ? 'key' : 'key_hash'),
});

/** basic-auth credentials: `username` unique in the runtime group; the password kept only as an scrypt hash. */
export const BASICAUTH_CREDENTIALS = defineEntity({
  ...credential,
  name: 'basicauth_credentials',
  noun: 'basic-auth credential',
  path: 'basic-auth',
  model: 'basicAuthCredential',
  input: basicAuthInput,
  output: basicAuthCredential,
  snapshot: snapshotBasicAuth,
  declarative: declarativeBasicAuth,
  endpointKey: 'username',
  references: [belongsToConsumer],
  secretFields: ['password', 'password_hash'],
  // Kong has no way to move a credential to another consumer: it is replaced.
  replaceWhenChanged: ['consumer'],
  kongOnly: [],
  key: (f) => String(f.username),
  keyField: () => 'username',
});

/**
 * jwt credentials (Kong's `jwt_secrets`), under `/consumers/{c}/jwt`: `key`
 * (what a token's `iss` claim names) unique in the runtime group; the HS
 * `secret` is shipped to data planes as written (verifying needs it) and
 * answered, as Kong's Admin API does: not a secret field of the registry.
 */
export const JWT_SECRETS = defineEntity({
  ...credential,
  name: 'jwt_secrets',
  noun: 'jwt credential',
  path: 'jwt',
  model: 'jwtSecret',
  input: jwtInput,
  output: jwtCredential,
  snapshot: snapshotJwt,
  declarative: declarativeJwt,
  endpointKey: 'key',
  references: [belongsToConsumer],
  replaceWhenChanged: ['consumer'],
  kongOnly: [],
  key: (f) => String(f.key),
  keyField: () => 'key',
});

/**
 * hmac-auth credentials, under `/consumers/{c}/hmac-auth`: `username` unique
 * in the runtime group; the `secret` is shipped to data planes (signatures are
 * computed with it) and answered as Kong's Admin API does (not a registry secret field).
 */
export const HMACAUTH_CREDENTIALS = defineEntity({
  ...credential,
  name: 'hmacauth_credentials',
  noun: 'hmac-auth credential',
  path: 'hmac-auth',
  model: 'hmacAuthCredential',
  input: hmacAuthInput,
  output: hmacAuthCredential,
  snapshot: snapshotHmacAuth,
  declarative: declarativeHmacAuth,
  endpointKey: 'username',
  references: [belongsToConsumer],
  replaceWhenChanged: ['consumer'],
  kongOnly: [],
  key: (f) => String(f.username),
  keyField: () => 'username',
});

/** ACL group memberships of a consumer: a group once per consumer. */
export const ACLS = defineEntity({
  ...credential,
  name: 'acls',
  noun: 'acl',
  path: 'acls',
  model: 'acl',
  input: aclInput,
  output: acl,
  snapshot: snapshotAcl,
  declarative: aclInput,
  endpointKey: null,
  references: [belongsToConsumer],
  kongOnly: [],
  key: (f) => `${String(f.consumer)} ${String(f.group)}`,
  keyField: () => 'group',
});
