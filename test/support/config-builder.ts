import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  consumer as consumerSchema,
  consumerInput,
  emptyConfig,
  gatewayConfig,
  plugin as pluginSchema,
  pluginInput,
  route as routeSchema,
  routeInput,
  service as serviceSchema,
  serviceInput,
  snapshotAcl,
  snapshotBasicAuth,
  snapshotKeyAuth,
  target as targetSchema,
  targetInput,
  upstream as upstreamSchema,
  upstreamInput,
  type ConsumerInput,
  type GatewayConfig,
  type PluginInput,
  type RouteInput,
  type ServiceInput,
  type TargetInput,
  type UpstreamInput,
} from '../../packages/protocol/src';
import { sha256Hex } from '../../packages/protocol/src/node';

/**
 * Test fixtures made from the protocol schemas: the one place tests get
 * stored entities and configs from. Each maker takes what a client would
 * write (Kong's input fields, only the ones the test cares about), parses it
 * with the entity's input schema — so Kong's defaults (timeouts, retries,
 * protocols, https_redirect_status_code, ...) come from the schemas alone —
 * adds an id (random unless given) and timestamps, and checks the result
 * against the stored schema. `gateway()` (and `ConfigBuilder.build()`) parses
 * the whole config with `gatewayConfig`. A fixture that does not parse throws
 * an error naming the field; a test that needs a broken entity builds a valid
 * one and spreads the broken field over it.
 */

/** What every stored entity may be given instead of generated. */
export interface Stamp {
  id?: string;
  created_at?: number;
  updated_at?: number;
}

/** A reference to another entity: its id, or the entity itself. */
export type Ref = string | { id: string };

export type Service = z.output<typeof serviceSchema>;
export type Route = z.output<typeof routeSchema>;
export type Plugin = z.output<typeof pluginSchema>;
export type Consumer = z.output<typeof consumerSchema>;
export type KeyAuthCredential = z.output<typeof snapshotKeyAuth>;
export type BasicAuthCredential = z.output<typeof snapshotBasicAuth>;
export type AclCredential = z.output<typeof snapshotAcl>;
export type Upstream = z.output<typeof upstreamSchema>;
export type Target = z.output<typeof targetSchema>;

/** Service input; `host` defaults to 127.0.0.1 (tests' local upstreams), `url` is Kong's shorthand. */
export type ServiceSpec = Stamp & Omit<ServiceInput, 'url' | 'host'> & { url?: string; host?: string };
/** Route input; `service` is the service entity or its id. */
export type RouteSpec = Stamp & Omit<RouteInput, 'service'> & { service?: Ref | null };
/** Plugin input; `config` is stored as given (the DP fills the plugin's own defaults). */
export type PluginSpec = Stamp &
  Omit<PluginInput, 'name' | 'service' | 'route' | 'consumer'> & { service?: Ref | null; route?: Ref | null; consumer?: Ref | null };
export type ConsumerSpec = Stamp & ConsumerInput;
export interface CredentialSpec {
  id?: string;
  tags?: string[];
}
export type ConfigParts = Partial<Omit<GatewayConfig, '_format_version'>>;

/** The entity collections of a config (not its format version or the secret values shipped beside them). */
type Collections = Required<Omit<ConfigParts, '_secrets'>>;

/** Seconds since the epoch, one tick per entity, so creation order is also timestamp order. */
let clock = 1_700_000_000;

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`test fixture: ${what} does not parse\n${z.prettifyError(result.error)}\ninput: ${JSON.stringify(input)}`);
  return result.data;
}

function stamped(stamp: Stamp): { id: string; created_at: number; updated_at: number } {
  clock++;
  const created = stamp.created_at ?? clock;
  return { id: stamp.id ?? randomUUID(), created_at: created, updated_at: stamp.updated_at ?? created };
}

function ref(r: Ref | null | undefined): { id: string } | null {
  if (r === null || r === undefined) return null;
  return { id: typeof r === 'string' ? r : r.id };
}

/** A stored gateway service. */
export function service(spec: ServiceSpec = {}): Service {
  const { id, created_at, updated_at, ...input } = spec;
  const withHost = input.url === undefined && input.host === undefined ? { ...input, host: '127.0.0.1' } : input;
  const fields = parse(serviceInput, withHost, 'service');
  return parse(serviceSchema, { ...stamped({ id, created_at, updated_at }), ...fields }, 'stored service');
}

/** A stored route (of `spec.service`, or of none). */
export function route(spec: RouteSpec): Route {
  const { id, created_at, updated_at, service: svc, ...input } = spec;
  const fields = parse(routeInput, input, 'route');
  return parse(routeSchema, { ...stamped({ id, created_at, updated_at }), ...fields, service: ref(svc) }, 'stored route');
}

/** A stored plugin instance, scoped by the refs it is given (global with none). */
export function plugin(name: string, spec: PluginSpec = {}): Plugin {
  const { id, created_at, updated_at, service: svc, route: rt, consumer: cons, ...input } = spec;
  const fields = parse(pluginInput, { name, ...input }, `plugin ${name}`);
  return parse(
    pluginSchema,
    { ...stamped({ id, created_at, updated_at }), ...fields, service: ref(svc), route: ref(rt), consumer: ref(cons) },
    `stored plugin ${name}`,
  );
}

/** A stored consumer; it needs a `username` or a `custom_id`. */
export function consumer(spec: ConsumerSpec): Consumer {
  const { id, created_at, updated_at, ...input } = spec;
  const fields = parse(consumerInput, input, 'consumer');
  return parse(consumerSchema, { ...stamped({ id, created_at, updated_at }), ...fields }, 'stored consumer');
}

/** A key-auth credential as shipped to DPs: the SHA-256 of `key`, never the key. */
export function keyAuth(owner: Ref, key: string, spec: CredentialSpec = {}): KeyAuthCredential {
  return parse(snapshotKeyAuth, { id: spec.id ?? randomUUID(), consumer: ref(owner), key_hash: sha256Hex(key), tags: spec.tags ?? [] }, 'key-auth credential');
}

/** A basic-auth credential as shipped to DPs: `passwordHash` is the stored (scrypt) hash. */
export function basicAuth(owner: Ref, username: string, passwordHash: string, spec: CredentialSpec = {}): BasicAuthCredential {
  return parse(
    snapshotBasicAuth,
    { id: spec.id ?? randomUUID(), consumer: ref(owner), username, password_hash: passwordHash, tags: spec.tags ?? [] },
    'basic-auth credential',
  );
}

/** An ACL group membership as shipped to DPs. */
export function acl(owner: Ref, group: string, spec: CredentialSpec = {}): AclCredential {
  return parse(snapshotAcl, { id: spec.id ?? randomUUID(), consumer: ref(owner), group, tags: spec.tags ?? [] }, 'acl');
}

/** A stored upstream (Kong's defaults from its input schema). */
export function upstream(spec: Stamp & UpstreamInput): Upstream {
  const { id, created_at, updated_at, ...input } = spec;
  const fields = parse(upstreamInput, input, 'upstream');
  return parse(upstreamSchema, { ...stamped({ id, created_at, updated_at }), ...fields }, 'stored upstream');
}

/** A stored target of `owner` (an upstream or its id). */
export function target(owner: Ref, spec: Stamp & TargetInput): Target {
  const { id, created_at, updated_at, ...input } = spec;
  const fields = parse(targetInput, input, 'target');
  return parse(targetSchema, { ...stamped({ id, created_at, updated_at }), ...fields, upstream: ref(owner) }, 'stored target');
}

/** A whole config of these entities (missing collections empty), parsed with `gatewayConfig`. */
export function gateway(parts: ConfigParts = {}): GatewayConfig {
  return parse(gatewayConfig, { ...emptyConfig(), ...parts }, 'gateway config');
}

/**
 * Collects entities into one config: each method makes the entity as the
 * function of the same name does, keeps it, and returns it (refs take the
 * entity or its id). `build()` returns the parsed config.
 */
export class ConfigBuilder {
  private readonly parts: Collections = (({ _format_version: _v, _secrets: _s, ...rest }) => rest)(emptyConfig());

  service(spec: ServiceSpec = {}): Service {
    return this.keep('services', service(spec));
  }

  route(spec: RouteSpec): Route {
    return this.keep('routes', route(spec));
  }

  plugin(name: string, spec: PluginSpec = {}): Plugin {
    return this.keep('plugins', plugin(name, spec));
  }

  consumer(spec: ConsumerSpec): Consumer {
    return this.keep('consumers', consumer(spec));
  }

  keyAuth(owner: Ref, key: string, spec: CredentialSpec = {}): KeyAuthCredential {
    return this.keep('keyauth_credentials', keyAuth(owner, key, spec));
  }

  basicAuth(owner: Ref, username: string, passwordHash: string, spec: CredentialSpec = {}): BasicAuthCredential {
    return this.keep('basicauth_credentials', basicAuth(owner, username, passwordHash, spec));
  }

  acl(owner: Ref, group: string, spec: CredentialSpec = {}): AclCredential {
    return this.keep('acls', acl(owner, group, spec));
  }

  build(): GatewayConfig {
    return gateway(this.parts);
  }

  private keep<K extends keyof Collections, E extends Collections[K][number]>(collection: K, entity: E): E {
    (this.parts[collection] as E[]).push(entity);
    return entity;
  }
}
