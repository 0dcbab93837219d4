import { memoryLogger, requestContext } from './test-support';
import { loadLua, luaVm } from './vm';

beforeAll(async () => {
  await loadLua();
});

const CASES: [string, (string | number)[]][] = [
  ['find', ['hello world', 'o w']],
  ['find', ['hello world', 'l+']],
  ['find', ['hello world', '(l+)(o)']],
  ['find', ['hello world', 'wor', 1, 1]],
  ['find', ['a.b', '.', 1, 1]],
  ['find', ['hello', 'l', -2]],
  ['find', ['hello', 'x', 10]],
  ['find', ['  key = value ', '^%s*(%w+)%s*=%s*(%w+)%s*$']],
  ['find', ['THE (quick) fox', '%((%a+)%)']],
  ['find', ['f(a(b)c)d', '%b()']],
  ['find', ['THE quick', '%f[%a]%a+', 2]],
  ['find', ['abcabc', '(a)(b)%1']],
  ['find', ['aaa', 'a-b']],
  ['find', ['aaab', 'a-b']],
  ['find', ['x = 10', '()=()']],
  ['find', ['[x]', '[]]']],
  ['find', ['a-b', '[a%-]+']],
  ['find', ['bad', '[a']],
  ['find', ['bad', '%']],
  ['find', ['bad', '(%1)']],
  ['find', ['bad', 'a)']],
  ['match', ['2024-01-31', '(%d+)-(%d+)-(%d+)']],
  ['match', ['/users/42/orders', '^/users/(%d+)/?(.*)$']],
  ['match', ['Bearer abc.def', '^Bearer%s+(.+)$']],
  ['match', ['no digits', '%d+']],
  ['match', ['hello', '.-(l+)']],
  ['match', ['hello', '()ll()']],
  ['match', ['hello', 'h?e?x?llo']],
  ['match', ['café', '[\u0080-\u00ff]+']],
  ['gmatch', ['a=1, b=2, c=3', '(%w+)=(%w+)']],
  ['gmatch', ['one two  three', '%a+']],
  ['gmatch', ['abc', '']],
  ['gmatch', ['abc', 'x*']],
  ['gsub', ['hello world', 'o', '0']],
  ['gsub', ['hello world', '(%w+)', '<%1>']],
  ['gsub', ['hello world', '%w+', '%0 %0', 1]],
  ['gsub', ['abc', '', '-']],
  ['gsub', ['abc', 'x*', '-']],
  ['gsub', ['  trim me  ', '^%s*(.-)%s*$', '%1']],
  ['gsub', ['a,b,,c', ',', ';']],
  ['gsub', ['50%', '%%', ' percent']],
  ['gsub', ['x', 'x', '%2']],
  ['gsub', ['x', 'x', '%']],
  ['gsub', ['hello', '^h', 'H']],
];

describe('the Lua pattern matcher (patterns.ts) against the C one', () => {
  it.each(CASES)('%s %j gives the same results', (fname, args) => {
    const { native, lua } = luaVm().comparePatterns(fname, args);
    expect(lua).toBe(native);
  });

  it('a backtracking pattern over a long subject ends in the time budget instead of hanging', () => {
    const { log } = memoryLogger();
    const ctx = requestContext();
    const started = performance.now();
    const fn = luaVm().compileFunction('local s = string.rep("a", 200000)\nreturn s:find(".-.-.-.-b")', 'config.access[0]');
    expect(luaVm().call(fn, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 1)).toMatchObject({ kind: 'failed', reason: 'timeout' });
    const quadratic = luaVm().compileFunction('local s = string.rep("a", 1000000)\nreturn s:find("a*b")', 'config.access[0]');
    expect(luaVm().call(quadratic, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 1)).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports a malformed pattern at the caller’s line, on either matcher', () => {
    const { log } = memoryLogger();
    const ctx = requestContext();
    for (const subject of ['"x"', 'string.rep("a", 100000)']) {
      const fn = luaVm().compileFunction(`local s = ${subject}\nlocal found = s:find("[ba*")\nreturn found`, 'config.access[0]');
      expect(luaVm().call(fn, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 1)).toEqual({
        kind: 'failed',
        reason: 'error',
        message: "config.access[0]:2: malformed pattern (missing ']')",
      });
    }
    const callback = luaVm().compileFunction('return ("ab"):gsub("a", function() error("boom") end)', 'config.access[0]');
    expect(luaVm().call(callback, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 1)).toMatchObject({ message: 'config.access[0]:1: boom' });
  });

  it('ordinary header work stays on the C matcher and is quick', () => {
    const { log } = memoryLogger();
    const ctx = requestContext({ headers: { authorization: 'Bearer abc.def.ghi' } });
    const fn = luaVm().compileFunction(
      'local token = kong.request.get_header("authorization"):match("^Bearer%s+(.+)$")\nkong.service.request.set_header("x-token", token:gsub("%.", "-"))',
      'config.access[0]',
    );
    expect(luaVm().call(fn, { ctx, phase: 'access', log, plugin: 'p', field: 'f' }, 1).kind).toBe('ok');
    expect(ctx.upstreamHeaders['x-token']).toBe('abc-def-ghi');
  });
});
