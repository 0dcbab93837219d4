import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type * as Wasmoon from 'wasmoon';

export type WasmoonModule = typeof Wasmoon;

/** The engine options every Gatehouse VM uses: no JS objects or proxies reach Lua; allocations are counted for the memory ceiling. */
const ENGINE_OPTIONS = { openStandardLibs: true, injectObjects: false, enableProxy: false, traceAllocations: true } as const;

/**
 * wasmoon's module and a new engine. Under plain node this is `require('wasmoon')`.
 * Its Emscripten glue imports `module` dynamically, which a sandboxed module
 * registry (jest's) refuses; there the same file is compiled again with
 * node's default loader for dynamic imports, so tests run the real VM too.
 */
export async function createLuaEngine(): Promise<{ wasmoon: WasmoonModule; engine: Wasmoon.LuaEngine }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plain = require('wasmoon') as WasmoonModule;
  try {
    return { wasmoon: plain, engine: await new plain.LuaFactory().createEngine(ENGINE_OPTIONS) };
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('ERR_VM_DYNAMIC_IMPORT')) throw err;
  }
  const file = require.resolve('wasmoon');
  const loader = (vm as unknown as { constants: { USE_MAIN_CONTEXT_DEFAULT_LOADER: symbol } }).constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const compiled: (...args: unknown[]) => void = vm.compileFunction(
    fs.readFileSync(file, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname'],
    {
      filename: file,
      importModuleDynamically: loader as never,
    },
  ) as (...args: unknown[]) => void;
  const mod = { exports: {} as WasmoonModule };
  compiled(mod.exports, require, mod, file, path.dirname(file));
  return { wasmoon: mod.exports, engine: await new mod.exports.LuaFactory().createEngine(ENGINE_OPTIONS) };
}
