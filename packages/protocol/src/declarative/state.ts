import type { ServiceFields } from '../entities/service';
import type { RouteFields } from '../entities/route';
import type { PluginFields } from '../entities/plugin';
import { canonicalJson } from '../canonical-json';

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

export type StateServiceFields = ServiceFields;
export type StateRouteFields = Omit<RouteFields, 'service'> & { service: string | null };
export type StatePluginFields = Omit<PluginFields, 'service' | 'route' | 'consumer'> & {
  service: string | null;
  route: string | null;
  consumer: string | null;
};
export type StateConsumerFields = {
  username: string | null;
  custom_id: string | null;
  tags: string[];
};
/** A key-auth credential: `key` (plaintext, only before the CP hashes it) or `key_hash`. */
export type StateKeyAuthFields = {
  consumer: string;
  key?: string;
  key_hash?: string;
  tags: string[];
};
/** A basic-auth credential: `password` (plaintext, only before the CP hashes it) or `password_hash`. */
export type StateBasicAuthFields = {
  consumer: string;
  username: string;
  password?: string;
  password_hash?: string;
  tags: string[];
};
export type StateAclFields = {
  consumer: string;
  group: string;
  tags: string[];
};

/** Every entity of a runtime group's gateway config, flat. */
export interface DeclarativeState {
  services: StateEntity<StateServiceFields>[];
  routes: StateEntity<StateRouteFields>[];
  consumers: StateEntity<StateConsumerFields>[];
  plugins: StateEntity<StatePluginFields>[];
  keyauth_credentials: StateEntity<StateKeyAuthFields>[];
  basicauth_credentials: StateEntity<StateBasicAuthFields>[];
  acls: StateEntity<StateAclFields>[];
}

/** The entity lists of a state, in the order parents come before children. */
export const STATE_KINDS = ['services', 'routes', 'consumers', 'plugins', 'keyauth_credentials', 'basicauth_credentials', 'acls'] as const;
export type StateKind = (typeof STATE_KINDS)[number];

export function emptyState(): DeclarativeState {
  return { services: [], routes: [], consumers: [], plugins: [], keyauth_credentials: [], basicauth_credentials: [], acls: [] };
}

/** A service is known by its name; an unnamed one by where it points. */
export function serviceKey(f: Pick<ServiceFields, 'name' | 'protocol' | 'host' | 'port' | 'path'>): string {
  return f.name ?? `(unnamed) ${f.protocol}://${f.host}:${f.port}${f.path ?? ''}`;
}

/** A route is known by its name; an unnamed one by its service and what it matches. */
export function routeKey(f: Pick<StateRouteFields, 'name' | 'service' | 'protocols' | 'methods' | 'hosts' | 'paths' | 'headers'>): string {
  if (f.name !== null) return f.name;
  const lists = { methods: f.methods, paths: f.paths, hosts: f.hosts, protocols: f.protocols };
  const parts = Object.entries(lists)
    .filter(([, v]) => v.length > 0)
    .map(([k, v]) => `${k}=${v.join(',')}`);
  if (Object.keys(f.headers).length > 0) parts.push(`headers=${canonicalJson(f.headers)}`);
  return `(unnamed, service=${f.service ?? '-'}) ${parts.join(' ')}`;
}

/** A consumer is known by its username, else by its custom_id. */
export function consumerKey(f: Pick<StateConsumerFields, 'username' | 'custom_id'>): string {
  return f.username ?? `custom_id:${f.custom_id ?? ''}`;
}

/** A plugin is known by its name and scope (one instance per name and scope, as in Kong). */
export function pluginKey(f: Pick<StatePluginFields, 'name' | 'service' | 'route' | 'consumer'>): string {
  const scope = [f.service && `service=${f.service}`, f.route && `route=${f.route}`, f.consumer && `consumer=${f.consumer}`].filter(Boolean);
  return `${f.name} (${scope.length === 0 ? 'global' : scope.join(', ')})`;
}

/** A key-auth credential is known by its consumer and key hash (or key, before hashing). */
export function keyAuthKey(f: StateKeyAuthFields): string {
  return `${f.consumer} ${f.key_hash !== undefined ? `sha256:${f.key_hash}` : `key:${f.key ?? ''}`}`;
}

/** Basic-auth usernames are unique in a runtime group. */
export function basicAuthKey(f: Pick<StateBasicAuthFields, 'username'>): string {
  return f.username;
}

export function aclKey(f: Pick<StateAclFields, 'consumer' | 'group'>): string {
  return `${f.consumer} ${f.group}`;
}

/** The key of an entity of any kind, from its fields (references already keys). */
export function stateKeyOf(kind: StateKind, fields: Record<string, unknown>): string {
  switch (kind) {
    case 'services':
      return serviceKey(fields as unknown as StateServiceFields);
    case 'routes':
      return routeKey(fields as unknown as StateRouteFields);
    case 'consumers':
      return consumerKey(fields as unknown as StateConsumerFields);
    case 'plugins':
      return pluginKey(fields as unknown as StatePluginFields);
    case 'keyauth_credentials':
      return keyAuthKey(fields as unknown as StateKeyAuthFields);
    case 'basicauth_credentials':
      return basicAuthKey(fields as unknown as StateBasicAuthFields);
    case 'acls':
      return aclKey(fields as unknown as StateAclFields);
  }
}
