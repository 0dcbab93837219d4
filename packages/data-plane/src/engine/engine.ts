import type { GatewayConfig } from '@gatehouse/protocol';
import type { Logger } from '../logging';
import { PLUGIN_HANDLERS } from '../plugins/handlers';
import type { PluginRuntime } from '../plugins/runtime';
import { createIndexedRouter } from '../router/indexed-router';
import type { RouterFactory } from '../router/types';
import type { AgentPool } from '../upstream/agent-pool';
import type { CompiledConfig } from './compiled';
import { compileConfig } from './compile-config';

/** The version and hash of the config being served. */
export interface ConfigMeta {
  version: number;
  hash: string;
}

export interface EngineOptions {
  pluginRuntime: PluginRuntime;
  agents: AgentPool;
  log: Logger;
  routerFactory?: RouterFactory;
}

/**
 * Holds the config the proxy serves. The contract with the cluster client:
 *
 * - `apply(config, meta)` compiles a *validated* GatewayConfig (router,
 *   services, plugin chains) into a new immutable CompiledConfig and swaps
 *   it in whole. It is synchronous; if the config cannot be compiled it
 *   throws an Error with a readable message and the previous config keeps
 *   serving untouched. It never mutates the live config.
 * - `current()` answers `{version, hash}` of the config being served, or
 *   null before any config was applied.
 *
 * The proxy reads `compiled` once per request.
 */
export class Engine {
  private state: CompiledConfig | null = null;
  private readonly listeners: Array<(c: CompiledConfig) => void> = [];
  private readonly routerFactory: RouterFactory;

  constructor(private readonly options: EngineOptions) {
    this.routerFactory = options.routerFactory ?? createIndexedRouter;
  }

  apply(config: GatewayConfig, meta: ConfigMeta): void {
    const started = performance.now();
    let next: CompiledConfig;
    try {
      next = compileConfig(config, meta, { pluginRuntime: this.options.pluginRuntime, agents: this.options.agents, routerFactory: this.routerFactory, previous: this.state });
    } catch (err) {
      this.options.log.warn({ event: 'config_compile_failed', version: meta.version, hash: meta.hash, error: (err as Error).message });
      throw err;
    }
    const previous = this.state;
    this.state = next;
    this.options.log.info({
      event: 'config_applied',
      version: meta.version,
      hash: meta.hash,
      previous_hash: previous?.hash ?? null,
      routes: next.routes.size,
      services: next.services.size,
      plugins: config.plugins.length,
      compile_ms: Math.round((performance.now() - started) * 10) / 10,
    });
    for (const l of this.listeners) l(next);
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

  /** Calls `listener` after every successful apply. */
  onApplied(listener: (c: CompiledConfig) => void): void {
    this.listeners.push(listener);
  }
}
