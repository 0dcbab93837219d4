import type { LuaEngine, LuaWasm } from 'wasmoon';
import type { PluginContext } from '../plugins/context';
import { hostFunctions, type BudgetFlag, type LuaCall, type UriCaptures } from './host';
import { HOOK_EVERY, LUA_LIMITS } from './limits';
import { PRELUDE } from './prelude';
import { createLuaEngine, type WasmoonModule } from './wasmoon';

// wasmoon's constants (LuaType, LUA_REGISTRYINDEX), fixed by Lua 5.4's C API.
const LUA_REGISTRYINDEX = -1001000;
const TYPE_NUMBER = 3;
const TYPE_STRING = 4;
const TYPE_FUNCTION = 6;

/** Lua code the VM refused to compile (a syntax error the static check did not see). */
export class LuaCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LuaCompileError';
  }
}

/** A compiled function or template living in the VM; dropped from the VM once nothing references it. */
export interface LuaRef {
  readonly ref: number;
}

/** How one call ended: its value, an exit (kong.response.exit / ngx.exit), or a failure and why. */
export type LuaOutcome =
  { kind: 'ok'; value: string | undefined } | { kind: 'exit' } | { kind: 'failed'; reason: 'error' | 'timeout' | 'memory'; message: string };

const TIMEOUT_MESSAGE = 'Lua function exceeded its time budget';
const MEMORY_MESSAGE = 'not enough memory';

/**
 * The DP's one Lua 5.4 state (wasmoon: the reference Lua compiled to
 * WebAssembly), holding the sandbox built by the prelude. Everything runs
 * synchronously on the event loop: a call sets the current request for the
 * host functions, runs with an instruction budget, a deadline and a memory
 * ceiling, and answers how it ended. Invariant: between calls no budget is
 * armed and no request is current.
 */
export class LuaVm {
  private current: LuaCall | null = null;
  private readonly budget: BudgetFlag = { over: false };
  private hooksLeft = 0;
  private deadline = 0;
  private armed = false;
  private nextRequestId = 1;
  private readonly requestIds = new WeakMap<PluginContext, number>();
  private readonly refs: FinalizationRegistry<number>;
  private readonly requests: FinalizationRegistry<number>;
  private readonly lua: LuaWasm;
  private readonly L: number;
  private readonly api: { compile: number; template: number; invoke: number; release: number; collect: number; comparePatterns: number };

  private constructor(
    private readonly engine: LuaEngine,
    wasmoon: WasmoonModule,
    captures: (ctx: PluginContext) => UriCaptures | null,
  ) {
    this.lua = engine.global.lua;
    this.L = engine.global.address;
    const hook = this.lua.module.addFunction((L: number) => {
      if (!this.armed) return;
      if (--this.hooksLeft < 0 || performance.now() > this.deadline) {
        this.budget.over = true;
        this.lua.lua_pushstring(L, TIMEOUT_MESSAGE);
        this.lua.lua_error(L);
      }
    }, 'vii');
    this.lua.lua_sethook(this.L, hook, 8 /* LUA_MASKCOUNT */, HOOK_EVERY);
    const g = engine.global;
    g.loadString(PRELUDE, '=prelude');
    g.pushValue(
      hostFunctions(
        () => this.current,
        this.budget,
        captures,
        (values) => wasmoon.LuaMultiReturn.from(values),
      ),
    );
    if (this.lua.lua_pcallk(this.L, 1, 1, 0, 0, null) !== 0) throw new Error(`Lua prelude failed: ${this.lua.lua_tolstring(this.L, -1, null)}`);
    const field = (name: string): number => {
      this.lua.lua_getfield(this.L, -1, name);
      return this.lua.luaL_ref(this.L, LUA_REGISTRYINDEX);
    };
    this.api = {
      compile: field('compile'),
      template: field('template'),
      invoke: field('invoke'),
      release: field('release'),
      collect: field('collect'),
      comparePatterns: field('compare_patterns'),
    };
    this.lua.lua_settop(this.L, 0);
    this.refs = new FinalizationRegistry((ref) => this.lua.luaL_unref(this.L, LUA_REGISTRYINDEX, ref));
    this.requests = new FinalizationRegistry((rid) => this.release(rid));
  }

  /** Loads the WebAssembly Lua and runs the prelude (once per process: see `loadLua`). */
  static async create(captures: (ctx: PluginContext) => UriCaptures | null): Promise<LuaVm> {
    const { wasmoon, engine } = await createLuaEngine();
    if (wasmoon.LUA_REGISTRYINDEX !== LUA_REGISTRYINDEX) throw new Error('wasmoon: unexpected LUA_REGISTRYINDEX');
    return new LuaVm(engine, wasmoon, captures);
  }

  /** Compiles a serverless function's source in its own sandboxed environment; throws LuaCompileError. */
  compileFunction(source: string, name: string): LuaRef {
    return this.compileWith(this.api.compile, source, name);
  }

  /** Compiles a template's generated Lua (see template.ts); throws LuaCompileError. */
  compileTemplate(code: string, name: string): LuaRef {
    return this.compileWith(this.api.template, code, name);
  }

  private compileWith(api: number, source: string, name: string): LuaRef {
    const { lua, L } = this;
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(api));
    lua.lua_pushstring(L, source);
    lua.lua_pushstring(L, name);
    const status = lua.lua_pcallk(L, 2, 2, 0, 0, null);
    try {
      if (status !== 0) throw new LuaCompileError(lua.lua_tolstring(L, -1, null));
      if ((lua.lua_type(L, -2) as number) !== TYPE_FUNCTION) throw new LuaCompileError(lua.lua_tolstring(L, -1, null));
      lua.lua_settop(L, -2);
      const handle = { ref: lua.luaL_ref(L, LUA_REGISTRYINDEX) };
      this.refs.register(handle, handle.ref);
      return handle;
    } finally {
      lua.lua_settop(L, 0);
    }
  }

  /**
   * Runs a compiled function or template for one request, within the
   * budget of limits.ts. Never throws: a Lua error, a spent budget and a
   * memory ceiling are answered as `failed`.
   */
  call(fn: LuaRef, call: LuaCall, instance: number): LuaOutcome {
    const { lua, L } = this;
    const rid = this.requestId(call.ctx);
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.api.invoke));
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(fn.ref));
    lua.lua_pushnumber(L, rid);
    lua.lua_pushnumber(L, instance);
    const g = this.engine.global;
    g.setMemoryMax(g.getMemoryUsed() + LUA_LIMITS.memoryBytes);
    this.current = call;
    this.budget.over = false;
    this.hooksLeft = Math.ceil(LUA_LIMITS.instructions / HOOK_EVERY);
    this.deadline = performance.now() + LUA_LIMITS.timeMs;
    this.armed = true;
    let status: number;
    try {
      status = lua.lua_pcallk(L, 3, 2, 0, 0, null);
    } finally {
      this.armed = false;
      this.current = null;
      g.setMemoryMax(undefined);
    }
    try {
      if (status !== 0) return this.failure(lua.lua_tolstring(L, -1, null));
      const kind = lua.lua_tonumberx(L, -2, null);
      if (kind === 0) return { kind: 'ok', value: [TYPE_STRING, TYPE_NUMBER].includes(lua.lua_type(L, -1)) ? lua.lua_tolstring(L, -1, null) : undefined };
      if (kind === 1) return { kind: 'exit' };
      return this.failure(lua.lua_tolstring(L, -1, null));
    } finally {
      lua.lua_settop(L, 0);
    }
  }

  private failure(message: string): LuaOutcome {
    if (this.budget.over) return { kind: 'failed', reason: 'timeout', message: TIMEOUT_MESSAGE };
    if (message === MEMORY_MESSAGE) {
      this.collect();
      return { kind: 'failed', reason: 'memory', message: `Lua function exceeded its memory budget (${LUA_LIMITS.memoryBytes} bytes)` };
    }
    return { kind: 'failed', reason: 'error', message };
  }

  private collect(): void {
    this.lua.lua_rawgeti(this.L, LUA_REGISTRYINDEX, BigInt(this.api.collect));
    this.lua.lua_pcallk(this.L, 0, 0, 0, 0, null);
    this.lua.lua_settop(this.L, 0);
  }

  /** The request's number in the VM (its kong.ctx tables live under it until `finish`). */
  private requestId(ctx: PluginContext): number {
    let rid = this.requestIds.get(ctx);
    if (rid === undefined) {
      rid = this.nextRequestId++;
      this.requestIds.set(ctx, rid);
      this.requests.register(ctx, rid, ctx);
    }
    return rid;
  }

  /** Drops the request's kong.ctx tables once its log phase is over (called from the log phase; runs after it). */
  finish(ctx: PluginContext): void {
    const rid = this.requestIds.get(ctx);
    if (rid === undefined) return;
    this.requestIds.delete(ctx);
    this.requests.unregister(ctx);
    queueMicrotask(() => this.release(rid));
  }

  private release(rid: number): void {
    this.lua.lua_rawgeti(this.L, LUA_REGISTRYINDEX, BigInt(this.api.release));
    this.lua.lua_pushnumber(this.L, rid);
    this.lua.lua_pcallk(this.L, 1, 0, 0, 0, null);
    this.lua.lua_settop(this.L, 0);
  }

  /**
   * Runs a string function (`find`, `match`, `gmatch`, `gsub`) with the C
   * matcher and with the Lua one of patterns.ts, and answers both results as
   * text: the differential test that keeps them alike.
   */
  comparePatterns(fname: string, args: (string | number)[]): { native: string; lua: string } {
    const { lua, L } = this;
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.api.comparePatterns));
    lua.lua_pushstring(L, fname);
    for (const a of args) {
      if (typeof a === 'number') lua.lua_pushnumber(L, a);
      else lua.lua_pushstring(L, a);
    }
    try {
      if (lua.lua_pcallk(L, args.length + 1, 2, 0, 0, null) !== 0) throw new Error(lua.lua_tolstring(L, -1, null));
      return { native: lua.lua_tolstring(L, -2, null), lua: lua.lua_tolstring(L, -1, null) };
    } finally {
      lua.lua_settop(L, 0);
    }
  }

  /** Bytes the Lua state holds now. */
  get memoryUsed(): number {
    return this.engine.global.getMemoryUsed();
  }
}

let loading: Promise<LuaVm> | null = null;
let loaded: LuaVm | null = null;

/**
 * The matched route's captures as `uri_captures` (Kong sets them only when
 * the path regex has a group): numbered groups from 0 (the whole match),
 * named groups by name. Takes the router's captures as they come (its
 * `{ unnamed, named }`, a RegExp match, or a `{ [index]: value, [name]: value }` record).
 */
export function routeCaptures(ctx: PluginContext): UriCaptures | null {
  const m = ctx.uriCaptures as Record<string, unknown> | null;
  if (m === null) return null;
  if (Array.isArray(m.unnamed)) {
    // router/types.ts UriCaptures: { unnamed, named }
    const named = (m.named ?? {}) as Record<string, unknown>;
    return {
      all: (m.unnamed as unknown[]).map((v) => (typeof v === 'string' ? v : false)),
      names: Object.fromEntries(Object.entries(named).map(([k, v]) => [k, typeof v === 'string' ? v : false])),
    };
  }
  if (!('1' in m)) return null;
  const all: (string | false)[] = [];
  for (let i = 0; String(i) in m; i++) all.push(typeof m[String(i)] === 'string' ? (m[String(i)] as string) : false);
  const names: Record<string, string | false> = {};
  const named = typeof m.groups === 'object' && m.groups !== null ? (m.groups as Record<string, unknown>) : m;
  for (const [k, v] of Object.entries(named))
    if (!/^\d+$/.test(k) && !['groups', 'index', 'input', 'indices'].includes(k)) names[k] = typeof v === 'string' ? v : false;
  return { all, names };
}

/**
 * Loads the process's Lua VM (WebAssembly instantiation is asynchronous, so
 * the DP awaits this once at start, before it compiles any config; configs
 * are then compiled synchronously with `luaVm()`).
 */
export function loadLua(): Promise<LuaVm> {
  return (loading ??= LuaVm.create(routeCaptures).then((vm) => (loaded = vm)));
}

/** The loaded VM; throws when `loadLua()` has not finished (a DP start that skipped it). */
export function luaVm(): LuaVm {
  if (loaded === null) throw new Error('the Lua VM is not loaded (loadLua() must finish before a config with Lua is compiled)');
  return loaded;
}
