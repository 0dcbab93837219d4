import type { Logger } from '../logging';
import type { PluginContext } from '../plugins/context';
import type { Ops } from '../plugins/transform-ops';
import { luaOwner, runLua, type CompiledLua, type LuaOwner } from './run';
import { isTemplate, templateLua } from './template';
import { luaVm } from './vm';

/**
 * The templates of one plugin instance, compiled once per config apply
 * (each distinct value once) and rendered per request. Only instances with a
 * `$(…)` value have a plan; the others never touch the VM.
 */
export class TemplatePlan {
  private readonly compiled = new Map<string, CompiledLua>();
  private readonly owner: LuaOwner;

  constructor(plugin: string, pluginId: string, log: Logger) {
    this.owner = luaOwner(plugin, pluginId, log);
  }

  /** Adds a value (compiled if it is a template); `field` names it in log lines (`config.add.headers[0]`). */
  add(value: string, field: string): void {
    if (this.compiled.has(value) || !isTemplate(value)) return;
    this.compiled.set(value, { ref: luaVm().compileTemplate(templateLua(value), field), field });
  }

  get size(): number {
    return this.compiled.size;
  }

  /**
   * Renders every template for this request (Kong's template environment
   * loads `headers`, `query_params`, `uri_captures` and `shared` as the
   * request is now). Null when one failed (logged; the request gets Kong's
   * 500) or answered the request itself (`kong.response.exit`).
   */
  render(ctx: PluginContext): Map<string, string> | null {
    const out = new Map<string, string>();
    for (const [value, code] of this.compiled) {
      const outcome = runLua(this.owner, code, ctx, 'access');
      if (outcome.kind !== 'ok') return null;
      out.set(value, outcome.value ?? '');
    }
    return out;
  }
}

/** The operations with rendered values in place of templates (`normalize` applies to rendered names, e.g. lower-case headers). */
export function renderedOps(ops: Ops, rendered: ReadonlyMap<string, string>, normalize: (n: string) => string = (n) => n): Ops {
  const value = (v: string): string => rendered.get(v) ?? v;
  const pair = (p: { name: string; value: string }) => ({ name: p.name, value: value(p.value) });
  return {
    remove: ops.remove,
    rename: ops.rename.map((r) => (rendered.has(r.to) ? { from: r.from, to: normalize(value(r.to)) } : r)),
    replace: ops.replace.map(pair),
    add: ops.add.map(pair),
    append: ops.append.map(pair),
  };
}
