import type { GatewayConfig } from '@gatehouse/protocol';
import type { Logger } from '../logging';
import { PLUGIN_HANDLERS } from '../plugins/handlers';
import type { LiveEntities, PluginRuntime } from '../plugins/runtime';
import { createIndexedRouter, createIndexedRouterSteps } from '../router/indexed-router';
import type { RouterFactory } from '../router/types';
import type { UpstreamPools } from '../upstream/pools';
import type { CompiledConfig } from './compiled';
import { compileConfigSteps, servicePoolTargets, type CompileOptions } from './compile-config';
import { liveEntities } from './live-entities';
import { runSteps, runStepsInSlices, StepsAbandoned, type SliceStats } from './steps';

/** The version and hash of the config being served. */
export interface ConfigMeta {
  version: number;
  hash: string;
}

export interface EngineOptions {
  pluginRuntime: PluginRuntime;
  pools: UpstreamPools;
  log: Logger;
  routerFactory?: RouterFactory;
  /** CPU time `applyInSlices` spends per turn of the event loop before letting requests through (default 8 ms). */
  sliceMs?: number;
}

/** How an `applyInSlices` ended: swapped in, or dropped because a newer apply started before it finished. */
export type SlicedApplyOutcome = 'applied' | 'superseded';

const DEFAULT_SLICE_MS = 4;

/**
 * Holds the config the proxy serves. The contract with the snapshot
 * pipeline (snapshot/serve.ts) and the start-up from the cache:
 *
 * - `apply(config, meta)` compiles a *validated* GatewayConfig (router,
 *   services, plugin chains) into a new immutable CompiledConfig and swaps
 *   it in whole. It is synchronous (start-up from the cache, before any
 *   request is served; tests); if the config cannot be compiled it throws an
 *   Error with a readable message and the previous config keeps serving
 *   untouched. It never mutates the live config.
 * - `applyInSlices(config, meta)` does the same compile spread over turns of
 *   the event loop (about `sliceMs` of CPU each) — the only way a snapshot
 *   is applied while the DP serves traffic — so requests keep being
 *   served while a big config is built. The new config is built off to the
 *   side and swapped in whole with one assignment at the end; until then the
 *   previous one serves every request. Any later `apply` or `applyInSlices`
 *   supersedes a build in progress: that build is dropped unswapped and
 *   resolves `'superseded'`, so the newest config is the one left serving.
 *   A config that cannot be compiled rejects, as `apply` throws.
 * - `current()` answers `{version, hash}` of the config being served, or
 *   null before any config was applied.
 *
 * The proxy reads `compiled` once per request.
 *
 * At each swap, state kept across snapshots is cut down to the new config:
 * the upstream pools no service uses any more are retired
 * (`UpstreamPools.retainOnly`), and the plugin runtime's and every `onSwap`
 * listener (rate-limit counters, metrics series of removed routes and
 * services) are told what is still live, so nothing a removed entity owned
 * outlives it for long, however many configs come and go.
 */
export class Engine {
  private state: CompiledConfig | null = null;
  private readonly routerFactory: RouterFactory;
  /** The indexed router's step builder, unless the caller chose another router. */
  private readonly routerSteps: CompileOptions['routerSteps'];
  /** Bumped by every apply: a sliced build whose generation is no longer current was superseded. */
  private generation = 0;
  private readonly swapListeners: ((next: CompiledConfig, live: LiveEntities) => void)[] = [];

  constructor(private readonly options: EngineOptions) {
    this.routerFactory = options.routerFactory ?? createIndexedRouter;
    this.routerSteps = options.routerFactory ? undefined : createIndexedRouterSteps;
  }

  apply(config: GatewayConfig, meta: ConfigMeta): void {
    this.generation++;
    const started = performance.now();
    let next: CompiledConfig;
    try {
      next = runSteps(compileConfigSteps(config, meta, this.compileOptions()));
    } catch (err) {
      this.compileFailed(meta, err);
      throw err;
    }
    this.swap(next, config, { compile_ms: round(performance.now() - started) });
  }

  /** See the class comment; `keepGoing`, asked between slices, lets the caller drop the build too (a newer config arrived). */
  async applyInSlices(config: GatewayConfig, meta: ConfigMeta, options: { keepGoing?: () => boolean } = {}): Promise<SlicedApplyOutcome> {
    const generation = ++this.generation;
    const callerWants = options.keepGoing ?? (() => true);
    const started = performance.now();
    const stats: SliceStats = { slices: 0, busyMs: 0, longestSliceMs: 0 };
    let next: CompiledConfig;
    try {
      next = await runStepsInSlices(compileConfigSteps(config, meta, this.compileOptions()), {
        sliceMs: this.options.sliceMs ?? DEFAULT_SLICE_MS,
        keepGoing: () => generation === this.generation && callerWants(),
        stats,
      });
    } catch (err) {
      if (err instanceof StepsAbandoned) {
        this.options.log.info({ event: 'config_build_superseded', version: meta.version, hash: meta.hash, slices: stats.slices });
        return 'superseded';
      }
      this.compileFailed(meta, err);
      throw err;
    }
    this.swap(next, config, {
      compile_ms: round(performance.now() - started),
      busy_ms: round(stats.busyMs),
      slices: stats.slices,
      longest_slice_ms: round(stats.longestSliceMs),
    });
    return 'applied';
  }

  private compileOptions(): CompileOptions {
    return {
      pluginRuntime: this.options.pluginRuntime,
      pools: this.options.pools,
      routerFactory: this.routerFactory,
      routerSteps: this.routerSteps,
      previous: this.state,
    };
  }

  private compileFailed(meta: ConfigMeta, err: unknown): void {
    this.options.log.warn({ event: 'config_compile_failed', version: meta.version, hash: meta.hash, error: (err as Error).message });
  }

  /** The one place the serving config changes: a single assignment, then the log line. */
  private swap(next: CompiledConfig, config: GatewayConfig, timing: Record<string, number>): void {
    const previous = this.state;
    this.state = next;
    this.options.pools.retainOnly([...next.services.values()].flatMap(servicePoolTargets));
    const live = liveEntities(next);
    for (const listener of [(): void => this.options.pluginRuntime.swapped(live), ...this.swapListeners.map((l) => (): void => l(next, live))]) {
      try {
        listener();
      } catch (err) {
        // A listener only trims state; its failure must not undo or hide the swap.
        this.options.log.error({ event: 'config_swap_listener_failed', err: err instanceof Error ? err : undefined });
      }
    }
    this.options.log.info({
      event: 'config_applied',
      version: next.version,
      hash: next.hash,
      previous_hash: previous?.hash ?? null,
      routes: next.routes.size,
      services: next.services.size,
      plugins: config.plugins.length,
      ...timing,
    });
  }

  /** Calls `listener` with each config right after it is swapped in (not for a build that failed or was superseded). */
  onSwap(listener: (next: CompiledConfig, live: LiveEntities) => void): void {
    this.swapListeners.push(listener);
  }

  current(): ConfigMeta | null {
    return this.state ? { version: this.state.version, hash: this.state.hash } : null;
  }

  /** The hash being served, or null. */
  get hash(): string | null {
    return this.state?.hash ?? null;
  }

  /** The compiled config being served, or null before the first apply. */
  get compiled(): CompiledConfig | null {
    return this.state;
  }

  /** Names of the plugins this data plane can run (sent in the cluster `hello`). */
  get pluginNames(): string[] {
    return [...PLUGIN_HANDLERS.keys()].sort();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
