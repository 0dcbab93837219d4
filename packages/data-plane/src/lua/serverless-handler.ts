import type { PluginContext } from '../plugins/context';
import type { PluginHandler } from '../plugins/types';
import type { LuaPhase } from './host';
import { luaOwner, runLua, type CompiledLua, type LuaOwner } from './run';
import { SUPPORTED_SERVERLESS_PHASES, type ServerlessConfig } from './serverless-schema';
import { luaVm } from './vm';

/** A serverless instance, prepared: its compiled functions per phase. */
export interface ServerlessPrepared {
  owner: LuaOwner;
  phases: Record<LuaPhase, CompiledLua[]>;
}

/** Runs a phase's functions in order, until one exits or fails. */
function runPhase(p: ServerlessPrepared, ctx: PluginContext, phase: LuaPhase): void {
  for (const code of p.phases[phase]) {
    const outcome = runLua(p.owner, code, ctx, phase);
    if (outcome.kind === 'exit') return;
    if (outcome.kind === 'failed') {
      // Kong's answer when a plugin's access fails; later phases only log (the response is on its way).
      if (phase === 'access' && ctx.exitResponse === null) ctx.error(500);
      return;
    }
  }
}

/**
 * The handler of `pre-function` and `post-function` (Kong's
 * kong/plugins/pre-function/_handler.lua): each phase's sources are compiled
 * once per config apply into the DP's Lua VM and run in order on every
 * request of the routes the instance applies to. A chunk that returns a
 * function has that function run from then on (Kong's 0.2 style, upvalues
 * kept across requests).
 */
export function serverlessHandler(name: string, priority: number): PluginHandler<ServerlessConfig, ServerlessPrepared> {
  return {
    name,
    priority,
    prepare(conf, env) {
      const vm = luaVm();
      const phases = { access: [], header_filter: [], log: [] } as Record<LuaPhase, CompiledLua[]>;
      for (const phase of SUPPORTED_SERVERLESS_PHASES) {
        conf[phase].forEach((source, i) => {
          const field = `config.${phase}[${i}]`;
          phases[phase].push({ ref: vm.compileFunction(source, field), field });
        });
      }
      return { owner: luaOwner(name, env.pluginId, env.runtime.log), phases };
    },
    access(ctx, p) {
      if (p.phases.access.length > 0) runPhase(p, ctx, 'access');
    },
    headerFilter(ctx, p) {
      if (p.phases.header_filter.length > 0) runPhase(p, ctx, 'header_filter');
    },
    log(ctx, p) {
      if (p.phases.log.length > 0) runPhase(p, ctx, 'log');
      luaVm().finish(ctx);
    },
  };
}
