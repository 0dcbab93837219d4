import type { z } from 'zod';
import type { Route, Service } from '@gatehouse/protocol';
import type { PluginContext } from './context';
import type { PluginRuntime } from './runtime';
import type { ConsumerIndex } from './consumers';

/**
 * What a plugin's `prepare` gets besides its own config: the consumer and
 * credential indexes of the snapshot being applied, and the long-lived
 * runtime (Redis pool, logger, shared counters) kept across snapshots.
 */
export interface PrepareEnv {
  consumers: ConsumerIndex;
  runtime: PluginRuntime;
  /** The plugin instance's id (counters and caches key on it). */
  pluginId: string;
  /** Names of the snapshot's services and routes by id (labels, logs). */
  names: { service(id: string): string | undefined; route(id: string): string | undefined };
  /** The snapshot's services and routes by id (the log serializer's `service` and `route`). */
  entities: { service(id: string): Service | undefined; route(id: string): Route | undefined };
}

/** A phase method may finish at once or asynchronously (a Redis round trip, a scrypt check). */
export type PhaseResult = void | Promise<void>;

/**
 * One plugin's handler (Kong's `handler.lua`): a static priority and one
 * method per phase, each taking the request context and the plugin's
 * prepared config. `prepare` runs once per config apply, never per request,
 * so everything derivable from the config (lower-cased header names, CIDR
 * matchers, parsed transformer ops) is computed there.
 *
 * - `access`: before the upstream is called; may answer the request itself
 *   with `ctx.exit` / `ctx.error` (later plugins' `access` are then skipped).
 * - `headerFilter`: the response status and headers are known (from the
 *   upstream or from an exit) and may be changed.
 * - `bodyFilter`: only for chains whose `buffersResponseBody` is true (a
 *   plugin declared `transformsResponseBody`); takes and answers the whole body.
 * - `log`: after the response was sent; must not throw.
 */
export interface PluginHandler<Config, Prepared> {
  readonly name: string;
  readonly priority: number;
  prepare(config: Config, env: PrepareEnv): Prepared;
  /** True when `bodyFilter` may need the whole response body for this prepared config. */
  transformsResponseBody?(prepared: Prepared): boolean;
  access?(ctx: PluginContext, conf: Prepared): PhaseResult;
  headerFilter?(ctx: PluginContext, conf: Prepared): void;
  bodyFilter?(ctx: PluginContext, conf: Prepared, body: Buffer): Buffer;
  log?(ctx: PluginContext, conf: Prepared): void;
}

/**
 * A handler whose config and prepared types are erased (the registry's view).
 * Phase methods are declared as methods, so every concrete handler fits.
 */
export type AnyPluginHandler = PluginHandler<unknown, unknown>;

/** Where a plugin may be attached; Kong's `no_consumer` / `no_route` / `no_service` typedefs. */
export interface PluginScopes {
  consumer: boolean;
  route: boolean;
  service: boolean;
}

/**
 * One plugin's schema (Kong's `schema.lua`): the config's Zod schema (Kong's
 * field names and defaults) and where the plugin may be attached. Importable
 * without the handler, so the CP, CLI and UI can validate configs.
 */
export interface PluginSchema<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly config: S;
  readonly scopes: PluginScopes;
}

/** The config type a plugin schema produces (defaults filled in). */
export type ConfigOf<P extends PluginSchema> = z.output<P['config']>;
