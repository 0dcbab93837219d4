import type { Logger } from '../logging';
import type { PluginContext } from './context';
import type { AnyPluginHandler } from './types';
import { thrownMessage } from '@gatehouse/protocol';

/** One plugin instance, prepared once per config apply. */
export interface PreparedInstance {
  pluginId: string;
  conf: unknown;
  /** Kong's `protocols` field, split for a branch-free check per request. */
  http: boolean;
  https: boolean;
  /** The same for gRPC calls (`grpc` over h2c, `grpcs` over TLS). */
  grpc: boolean;
  grpcs: boolean;
}

/** One plugin of a chain: its handler and which instance applies to whom. */
export interface ChainEntry {
  handler: AnyPluginHandler;
  base: PreparedInstance | null;
  /** Consumer id → winning instance; null when no instance is consumer-scoped. */
  byConsumer: ReadonlyMap<string, PreparedInstance> | null;
}

const chosenConfs = new WeakMap<PluginContext, (PreparedInstance | null)[]>();

/**
 * The plugins that run on one route, highest priority first, compiled when a
 * config is applied. Per request, choosing a plugin's instance is at most one
 * Map read (for consumer-scoped instances, after authentication: a consumer's
 * instance is looked up when the plugin's turn comes, so auth plugins, which
 * run first, have set the consumer). The instance chosen in `access` is the
 * one later phases use, as in Kong.
 */
export class PluginChain {
  /** True when some instance may rewrite the response body: the proxy must buffer it for `bodyFilter`. */
  readonly buffersResponseBody: boolean;
  private readonly consumerAware: boolean;

  constructor(
    readonly entries: readonly ChainEntry[],
    private readonly log: Logger,
  ) {
    this.consumerAware = entries.some((e) => e.byConsumer !== null);
    this.buffersResponseBody = entries.some((e) => {
      const { handler } = e;
      if (!handler.transformsResponseBody || !handler.bodyFilter) return false;
      const all = [...(e.base ? [e.base] : []), ...(e.byConsumer?.values() ?? [])];
      return all.some((p) => handler.transformsResponseBody?.(p.conf) === true);
    });
  }

  /** Number of plugins in the chain (0: the proxy may skip every phase). */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Runs every plugin's access phase in priority order. Answers undefined when
   * every handler finished synchronously, else a promise to await. Afterwards
   * `ctx.exitResponse` is set if a plugin answered the request. A handler that
   * throws answers 500, as Kong does.
   */
  access(ctx: PluginContext): Promise<void> | undefined {
    return this.runAccess(ctx, 0);
  }

  private runAccess(ctx: PluginContext, from: number): Promise<void> | undefined {
    const entries = this.entries;
    let chosen: (PreparedInstance | null)[] | undefined;
    if (this.consumerAware) {
      chosen = chosenConfs.get(ctx);
      if (chosen === undefined) chosenConfs.set(ctx, (chosen = new Array<PreparedInstance | null>(entries.length).fill(null)));
    }
    for (let i = from; i < entries.length; i++) {
      const e = entries[i];
      if (e === undefined) continue;
      const inst = this.pick(e, ctx);
      if (chosen) chosen[i] = inst;
      if (inst === null || ctx.exitResponse !== null || e.handler.access === undefined) continue;
      let result: Promise<void> | void;
      try {
        result = e.handler.access(ctx, inst.conf);
      } catch (err) {
        this.fail(ctx, e, err);
        continue;
      }
      if (result !== undefined) {
        return result.then(
          () => this.runAccess(ctx, i + 1),
          (err: unknown) => {
            this.fail(ctx, e, err);
            return this.runAccess(ctx, i + 1);
          },
        );
      }
    }
    return undefined;
  }

  /** Runs `headerFilter` of every applicable plugin; call after `ctx.beginResponse`. */
  headerFilter(ctx: PluginContext): void {
    // Written out rather than through `each` with a closure: this runs on every proxied request.
    const chosen = this.consumerAware ? chosenConfs.get(ctx) : undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e?.handler.headerFilter === undefined) continue;
      const inst = chosen ? (chosen[i] ?? null) : this.pick(e, ctx);
      if (inst === null) continue;
      try {
        e.handler.headerFilter(ctx, inst.conf);
      } catch (err) {
        this.phaseFailed(e, 'headerFilter', err);
      }
    }
  }

  /** Passes the whole response body through every applicable `bodyFilter`. */
  bodyFilter(ctx: PluginContext, body: Buffer): Buffer {
    let out = body;
    this.each(ctx, 'bodyFilter', (e, conf) => {
      if (e.handler.bodyFilter) out = e.handler.bodyFilter(ctx, conf, out);
    });
    return out;
  }

  /** Runs `log` of every applicable plugin, after the response was sent. */
  logPhase(ctx: PluginContext): void {
    const chosen = this.consumerAware ? chosenConfs.get(ctx) : undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e?.handler.log === undefined) continue;
      const inst = chosen ? (chosen[i] ?? null) : this.pick(e, ctx);
      if (inst === null) continue;
      try {
        e.handler.log(ctx, inst.conf);
      } catch (err) {
        this.phaseFailed(e, 'log', err);
      }
    }
  }

  private pick(e: ChainEntry, ctx: PluginContext): PreparedInstance | null {
    let inst = e.base;
    if (e.byConsumer !== null && ctx.consumer !== null) inst = e.byConsumer.get(ctx.consumer.id) ?? inst;
    if (inst === null) return null;
    const on = ctx.grpc ? (ctx.scheme === 'https' ? inst.grpcs : inst.grpc) : ctx.scheme === 'https' ? inst.https : inst.http;
    return on ? inst : null;
  }

  private each(ctx: PluginContext, phase: string, run: (e: ChainEntry, conf: unknown) => void): void {
    const chosen = this.consumerAware ? chosenConfs.get(ctx) : undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e === undefined) continue;
      const inst = chosen ? (chosen[i] ?? null) : this.pick(e, ctx);
      if (inst === null) continue;
      try {
        run(e, inst.conf);
      } catch (err) {
        this.phaseFailed(e, phase, err);
      }
    }
  }

  private phaseFailed(e: ChainEntry, phase: string, err: unknown): void {
    this.log.error({ event: 'plugin_error', plugin: e.handler.name, phase, err: thrownMessage(err) }, `${e.handler.name} ${phase} failed`);
  }

  private fail(ctx: PluginContext, e: ChainEntry, err: unknown): void {
    this.log.error({ event: 'plugin_error', plugin: e.handler.name, phase: 'access', err: thrownMessage(err) }, `${e.handler.name} access failed`);
    if (ctx.exitResponse === null) ctx.error(500);
  }
}
