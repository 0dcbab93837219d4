import type { Logger } from '../logging';
import type { PluginContext } from '../plugins/context';
import type { LuaPhase } from './host';
import { luaVm, type LuaOutcome, type LuaRef } from './vm';

/** One compiled piece of Lua and where it came from. */
export interface CompiledLua {
  ref: LuaRef;
  /** `config.access[0]`, `config.add.headers[1]`: the plugin field, for log lines. */
  field: string;
}

/** Who runs a piece of Lua: the plugin, its instance and the logger. */
export interface LuaOwner {
  plugin: string;
  pluginId: string;
  /** A number of its own per prepared instance (its `kong.ctx.plugin` table is filed under it). */
  instance: number;
  log: Logger;
}

let instances = 0;

/** The owner of an instance's Lua, given a fresh instance number. */
export function luaOwner(plugin: string, pluginId: string, log: Logger): LuaOwner {
  return { plugin, pluginId, instance: ++instances, log };
}

/**
 * Runs one compiled function or template for a request and logs a failure
 * as one structured line (`lua_function_failed`: plugin, field, phase,
 * reason `error` | `timeout` | `memory`, the Lua message, request id).
 */
export function runLua(owner: LuaOwner, code: CompiledLua, ctx: PluginContext, phase: LuaPhase): LuaOutcome {
  const outcome = luaVm().call(code.ref, { ctx, phase, log: owner.log, plugin: owner.plugin, field: code.field }, owner.instance);
  if (outcome.kind === 'failed') {
    owner.log.error(
      {
        event: 'lua_function_failed',
        plugin: owner.plugin,
        plugin_id: owner.pluginId,
        field: code.field,
        phase,
        reason: outcome.reason,
        error: outcome.message,
        request_id: ctx.upstreamHeaders['x-gatehouse-request-id'],
      },
      `${owner.plugin} ${code.field} failed: ${outcome.message}`,
    );
  }
  return outcome;
}
