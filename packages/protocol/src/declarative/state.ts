import type { ServiceFields } from '../entities/service';
import type { RouteFields } from '../entities/route';
import type { PluginFields } from '../entities/plugin';
import type { UpstreamFields } from '../entities/upstream';
import type { TargetFields } from '../entities/target';
import type { CertificateFields } from '../entities/certificate';
import type { SniFields } from '../entities/sni';
import type { CaCertificateFields } from '../entities/ca-certificate';
import { ENTITY_NAMES, entitySpec, type EntityName } from '../registry';

/**
 * The flat entity set a declarative file describes, and the same shape read
 * back from a runtime group: what `diff` compares and `sync` applies.
 * References between entities are the referenced entity's `key`, never an id,
 * so a file without ids and a group with ids compare equal.
 */

/** One entity: its identity (`key`, optional `id`), where it came from, and its fields. */
export interface StateEntity<F> {
  /** The natural key the entity is matched by (a name, or a stand-in when it has none). */
  key: string;
  /** The id given in the file, or the stored id. */
  id?: string;
  /** Where the entity sits in its file (`services[0].routes[1]`), for error messages. */
  source?: string;
  fields: F;
}

/** A CA certificate; `cert_digest` is filled by the CP when the file leaves it out. */
export type StateCaCertificateFields = Omit<CaCertificateFields, 'cert_digest'> & { cert_digest?: string | null };
/** A certificate with its private keys in PEM (a file's, or a group's opened for the compare). */
export type StateCertificateFields = CertificateFields;
export type StateSniFields = Omit<SniFields, 'certificate'> & { certificate: string };
export type StateServiceFields = Omit<ServiceFields, 'client_certificate'> & { client_certificate: string | null };
export type StateRouteFields = Omit<RouteFields, 'service'> & { service: string | null };
export type StatePluginFields = Omit<PluginFields, 'service' | 'route' | 'consumer'> & {
  service: string | null;
  route: string | null;
  consumer: string | null;
};
export interface StateConsumerFields {
  username: string | null;
  custom_id: string | null;
  tags: string[];
}
/** A key-auth credential: `key` (plaintext, only before the CP hashes it) or `key_hash`. */
export interface StateKeyAuthFields {
  consumer: string;
  key?: string;
  key_hash?: string;
  tags: string[];
}
/** A basic-auth credential: `password` (plaintext, only before the CP hashes it) or `password_hash`. */
export interface StateBasicAuthFields {
  consumer: string;
  username: string;
  password?: string;
  password_hash?: string;
  tags: string[];
}
/** A jwt credential (Kong's `jwt_secrets`). */
export interface StateJwtFields {
  consumer: string;
  key: string;
  algorithm: string;
  secret?: string | null;
  rsa_public_key?: string | null;
  tags: string[];
}
/** An hmac-auth credential. */
export interface StateHmacAuthFields {
  consumer: string;
  username: string;
  secret: string;
  tags: string[];
}
export interface StateAclFields {
  consumer: string;
  group: string;
  tags: string[];
}
export type StateUpstreamFields = UpstreamFields;
export type StateTargetFields = TargetFields & { upstream: string };

/** Every entity of a runtime group's gateway config, flat. */
export interface DeclarativeState {
  ca_certificates: StateEntity<StateCaCertificateFields>[];
  certificates: StateEntity<StateCertificateFields>[];
  snis: StateEntity<StateSniFields>[];
  services: StateEntity<StateServiceFields>[];
  routes: StateEntity<StateRouteFields>[];
  consumers: StateEntity<StateConsumerFields>[];
  plugins: StateEntity<StatePluginFields>[];
  keyauth_credentials: StateEntity<StateKeyAuthFields>[];
  basicauth_credentials: StateEntity<StateBasicAuthFields>[];
  jwt_secrets: StateEntity<StateJwtFields>[];
  hmacauth_credentials: StateEntity<StateHmacAuthFields>[];
  acls: StateEntity<StateAclFields>[];
  upstreams: StateEntity<StateUpstreamFields>[];
  targets: StateEntity<StateTargetFields>[];
}

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Compile-time guard: a state has a list for every registry entity and nothing else. */
export type StateCoversRegistry = Assert<Exact<keyof DeclarativeState, EntityName>>;

/** The entity lists of a state, in the order parents come before children (the registry's order). */
export const STATE_KINDS = ENTITY_NAMES;
export type StateKind = EntityName;

export function emptyState(): DeclarativeState {
  return Object.fromEntries(STATE_KINDS.map((k) => [k, []])) as unknown as DeclarativeState;
}

/** The key of an entity of any kind, from its fields (references already keys): its registry entry's `key`. */
export function stateKeyOf(kind: StateKind, fields: Record<string, unknown>): string {
  return entitySpec(kind).key(fields);
}
