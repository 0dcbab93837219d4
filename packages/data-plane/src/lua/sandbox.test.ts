import { memoryLogger, requestContext } from './test-support';
import { loadLua, luaVm, type LuaOutcome } from './vm';

beforeAll(async () => {
  await loadLua();
});

function run(source: string, ctx = requestContext()): LuaOutcome {
  const { log } = memoryLogger();
  return luaVm().call(luaVm().compileFunction(source, 'config.access[0]'), { ctx, phase: 'access', log, plugin: 'pre-function', field: 'config.access[0]' }, 1);
}

describe('the Lua sandbox (Kong untrusted_lua = sandbox)', () => {
  it.each([
    ['os.execute("id")', /field 'execute'/],
    ['io.open("/etc/passwd")', /field 'open'/],
    ['require("os")', /require 'os' not allowed within sandbox/],
    ['load("return 1")()', /global 'load'/],
    ['loadstring("return 1")()', /global 'loadstring'/],
    ['dofile("/etc/passwd")', /global 'dofile'/],
    ['getmetatable("").__index = {}', /global 'getmetatable'/],
    ['setmetatable({}, { __gc = function() end })', /global 'setmetatable'/],
    ['debug.getinfo(1)', /global 'debug'/],
    ['rawset(_G, "x", 1)', /global 'rawset'/],
    ['collectgarbage()', /global 'collectgarbage'/],
    ['package.loaded.os.execute("id")', /global 'package'/],
    ['string.dump(function() end)', /field 'dump'/],
    ['("x"):dump()', /method 'dump'/],
    ['string.rep = nil', /Cannot modify string.rep. Protected by the sandbox/],
    ['kong.request = nil', /Cannot modify kong.request/],
  ])('%s is refused', (source, message) => {
    const out = run(source);
    expect(out.kind).toBe('failed');
    expect(out).toMatchObject({ reason: 'error', message: expect.stringMatching(message) as unknown });
  });

  it('_G is the function’s own environment, not the VM’s', () => {
    const ctx = requestContext();
    expect(run('x_global = 1; kong.service.request.set_header("x-g", tostring(_G.x_global) .. tostring(_G.os.execute) .. tostring(_G.load))', ctx)).toEqual({
      kind: 'ok',
      value: undefined,
    });
    expect(ctx.upstreamHeaders['x-g']).toBe('1nilnil');
  });

  it('an infinite loop is stopped by the time budget', () => {
    const started = performance.now();
    expect(run('while true do end')).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('pcall, xpcall and coroutines cannot catch a spent budget', () => {
    expect(run('while true do pcall(function() while true do end end) end')).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(run('while true do xpcall(function() while true do end end, function(e) return e end) end')).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(run('while true do coroutine.resume(coroutine.create(function() while true do end end)) end')).toMatchObject({ kind: 'failed', reason: 'timeout' });
  });

  it('string.rep and concatenation bombs hit the memory ceiling', () => {
    expect(run('local s = string.rep("x", 1e9)')).toMatchObject({ kind: 'failed', reason: 'memory' });
    expect(run('local s = "x" for i = 1, 40 do s = s .. s end')).toMatchObject({ kind: 'failed', reason: 'memory' });
    expect(run('local t = {} for i = 1, 1e8 do t[i] = i end')).toMatchObject({ kind: 'failed' });
    // the VM serves the next call normally
    expect(run('local s = string.rep("x", 1000)')).toEqual({ kind: 'ok', value: undefined });
  });

  it('only text crosses to the host: cyclic, deep or odd values are Lua errors, and the VM goes on', () => {
    expect(run('local t = {} t.t = t kong.response.exit(200, t)')).toMatchObject({ kind: 'failed', message: 'Cannot serialise, excessive nesting (1001)' });
    expect(run('local t = {} for i = 1, 5000 do t = { t } end kong.response.exit(200, t)')).toMatchObject({ kind: 'failed' });
    expect(run('kong.response.exit(200, { f = function() end })')).toMatchObject({ kind: 'failed', message: 'Cannot serialise function: type not supported' });
    expect(run('kong.service.request.set_header("x", function() end)')).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('invalid header value') as unknown,
    });
    expect(run('ngx.re.match("x", { deep = { deeper = {} } })')).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('string expected, got table') as unknown,
    });
    const ctx = requestContext();
    expect(run('kong.response.exit(200, { message = "a/b", list = { 1, 2.5 }, empty = {} }, { ["X-A"] = { "1", "2" } })', ctx)).toEqual({ kind: 'exit' });
    expect(JSON.parse(ctx.exitResponse?.body.toString() ?? '')).toEqual({ message: 'a/b', list: [1, 2.5], empty: {} });
    expect(ctx.exitResponse?.body.toString()).toContain('"a\\/b"');
    expect(ctx.responseHeaders['x-a']).toEqual(['1', '2']);
  });

  it('the library extras of LuaJIT work on Lua 5.4', () => {
    const ctx = requestContext();
    const src = [
      'local out = { bit.band(0xff, 0x0f), bit.bor(1, 2), bit.lshift(1, 4), bit.tohex(255, 2), unpack({ 7 }), math.pow(2, 3), table.nkeys({ a = 1, b = 2 }), tostring(table.isarray({ 1, 2 })) }',
      'kong.service.request.set_header("x-out", table.concat(out, ","))',
    ].join('\n');
    expect(run(src, ctx).kind).toBe('ok');
    expect(ctx.upstreamHeaders['x-out']).toBe('15,3,16,ff,7,8.0,2,true');
  });

  it('a chunk that returns a function keeps its upvalues across requests (Kong 0.2 style)', () => {
    const { log } = memoryLogger();
    const fn = luaVm().compileFunction('local n = 0\nreturn function() n = n + 1 kong.service.request.set_header("x-n", n) end', 'config.access[0]');
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const ctx = requestContext();
      luaVm().call(fn, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 2);
      seen.push(ctx.upstreamHeaders['x-n']);
    }
    expect(seen).toEqual(['1', '2', '3']);
  });

  it('a syntax error is a LuaCompileError', () => {
    expect(() => luaVm().compileFunction('local = 1', 'config.access[0]')).toThrow(/config.access\[0\]:1/);
  });
});
