import type { LuaPhase } from './host';
import { memoryLogger, requestContext } from './test-support';
import { loadLua, luaVm, type LuaOutcome } from './vm';
import type { PluginContext } from '../plugins/context';

beforeAll(async () => {
  await loadLua();
});

const { log, lines } = memoryLogger();

function run(source: string, ctx: PluginContext, phase: LuaPhase = 'access'): LuaOutcome {
  return luaVm().call(luaVm().compileFunction(source, 'config.access[0]'), { ctx, phase, log, plugin: 'post-function', field: 'config.access[0]' }, 7);
}

describe("Kong's PDK in the sandbox", () => {
  it('kong.request reads the request; kong.service.request edits what goes upstream', () => {
    const ctx = requestContext({
      path: '/a/b',
      query: 'x=1&flag&x=2',
      headers: { 'x-user': 'ann', 'x-multi': ['1', '2'] },
      method: 'POST',
      captures: { unnamed: ['/a/b', 'b'], named: { id: 'b' } },
    });
    const src = `
      local q = kong.request.get_query()
      kong.service.request.set_header("X-Seen", table.concat({ kong.request.get_method(), kong.request.get_path(), kong.request.get_raw_query(),
        kong.request.get_header("X-User"), kong.request.get_headers().x_user, tostring(q.flag), q.x[2], #kong.request.get_headers()["x-multi"] }, "|"))
      kong.service.request.add_header("x-user", "bob")
      kong.service.request.clear_header("x-multi")
      kong.service.request.set_path("/rewritten")
      kong.service.request.set_query({ b = "2", a = { "1", "3" }, on = true })
      local caps = kong.request.get_uri_captures()
      kong.service.request.set_header("x-caps", caps.unnamed[0] .. "|" .. caps.unnamed[1] .. "|" .. caps.named.id)
    `;
    expect(run(src, ctx)).toEqual({ kind: 'ok', value: undefined });
    expect(ctx.upstreamHeaders['x-seen']).toBe('POST|/a/b|x=1&flag&x=2|ann|ann|true|2|2');
    expect(ctx.upstreamHeaders['x-user']).toEqual(['ann', 'bob']);
    expect(ctx.upstreamHeaders['x-multi']).toBeUndefined();
    expect(ctx.upstreamPath).toBe('/rewritten');
    expect(ctx.requestQuery).toBe('a=1&a=3&b=2&on');
    expect(ctx.upstreamHeaders['x-caps']).toBe('/a/b|b|b');
  });

  it('kong.response.exit answers the request and ends the function', () => {
    const ctx = requestContext();
    expect(
      run('kong.response.exit(401, { message = "go away" }, { ["WWW-Authenticate"] = "Key" })\nkong.service.request.set_header("x-after", "1")', ctx),
    ).toEqual({
      kind: 'exit',
    });
    expect(ctx.exitResponse?.status).toBe(401);
    expect(JSON.parse(ctx.exitResponse?.body.toString() ?? '')).toEqual({ message: 'go away' });
    expect(ctx.responseHeaders).toMatchObject({ 'www-authenticate': 'Key', 'content-type': 'application/json; charset=utf-8' });
    expect(ctx.upstreamHeaders['x-after']).toBeUndefined();
  });

  it('pcall does not catch an exit', () => {
    const ctx = requestContext();
    expect(run('pcall(kong.response.exit, 418, "teapot")\nkong.service.request.set_header("x-after", "1")', ctx)).toEqual({ kind: 'exit' });
    expect(ctx.exitResponse?.body.toString()).toBe('teapot');
    expect(ctx.upstreamHeaders['x-after']).toBeUndefined();
  });

  it('ngx.exit(403) is Kong’s default answer for the status', () => {
    const ctx = requestContext();
    expect(run('ngx.exit(ngx.HTTP_FORBIDDEN)', ctx)).toEqual({ kind: 'exit' });
    expect(ctx.exitResponse?.status).toBe(403);
    expect(JSON.parse(ctx.exitResponse?.body.toString() ?? '')).toEqual({ message: 'Forbidden' });
  });

  it('response headers in header_filter; setters refused in log', () => {
    const ctx = requestContext();
    ctx.beginResponse(201, { 'x-up': '1' });
    expect(
      run(
        'kong.response.set_header("X-Status", kong.response.get_status())\nngx.header["X_Via_Ngx"] = "yes"\nkong.response.clear_header("x-up")',
        ctx,
        'header_filter',
      ).kind,
    ).toBe('ok');
    expect(ctx.responseHeaders).toEqual({ 'x-status': '201', 'x-via-ngx': 'yes' });
    expect(run('kong.response.set_header("x", "1")', ctx, 'log')).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('cannot be called in log phase') as unknown,
    });
    expect(run('kong.service.request.set_header("x", "1")', ctx, 'header_filter')).toMatchObject({ kind: 'failed' });
  });

  it('ngx.var, ngx.req, base64, ngx.re', () => {
    const ctx = requestContext({ path: '/users/42', query: 'q=a%20b', headers: { 'x-api-key': 'k1', cookie: 'a=1; sid=xyz' } });
    const src = `
      local m = ngx.re.match(ngx.var.uri, [[^/users/(?<id>\\d+)]])
      local s, n = ngx.re.gsub("a1b22", "[0-9]+", function(c) return "<" .. c[0] .. ">" end)
      local from, to = ngx.re.find("hello world", "wor")
      local t = ngx.re.sub("k=v", "(\\\\w)=(\\\\w)", "$2=$1")
      ngx.req.set_header("x-out", table.concat({ ngx.var.request_uri, ngx.var.host, ngx.var.remote_addr, ngx.var.scheme, ngx.var.request_method,
        ngx.var.args, ngx.var.http_x_api_key, ngx.var.cookie_sid, ngx.var.arg_q, m[0], m.id, m[1], s, n, from, to, t,
        ngx.encode_base64("hello?"), ngx.decode_base64("aGVsbG8/"), tostring(ngx.req.get_headers()["X-Api-Key"]) }, "|"))
    `;
    expect(run(src, ctx)).toEqual({ kind: 'ok', value: undefined });
    expect(ctx.upstreamHeaders['x-out']).toBe(
      '/users/42?q=a%20b|example.test|127.0.0.1|http|GET|q=a%20b|k1|xyz|a b|/users/42|42|42|a<1>b<22>|2|7|9|v=k|aGVsbG8/|hello?|k1',
    );
  });

  it('kong.ctx.shared is per request and shared by the plugins of the request; kong.log writes JSON lines', () => {
    const ctx = requestContext();
    const other = requestContext();
    run('kong.ctx.shared.user = "ann"\nkong.ctx.plugin.mine = 1', ctx);
    run('kong.service.request.set_header("x-user", tostring(kong.ctx.shared.user))', ctx);
    run('kong.service.request.set_header("x-user", tostring(kong.ctx.shared.user))', other);
    expect(ctx.upstreamHeaders['x-user']).toBe('ann');
    expect(other.upstreamHeaders['x-user']).toBe('nil');
    run('kong.log.err("bad ", 42)', ctx);
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      lua_level: 'err',
      event: 'lua_log',
      plugin: 'post-function',
      field: 'config.access[0]',
      message: 'bad 42',
    });
  });
});
