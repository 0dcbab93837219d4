import { checkLua } from './static-check';
import { FUNCTION_SURFACE, TEMPLATE_SURFACE } from './surface';

describe('checkLua (the validation of Lua text)', () => {
  it.each([
    'kong.service.request.set_header("X-Id", kong.request.get_header("x-user") or "anonymous")',
    'local req = kong.request\nlocal h = req.get_headers()\nif h["x-a"] then kong.response.exit(403, { message = "no" }) end',
    'return function() local n = ngx.var.http_x_user; ngx.req.set_header("x-u", n) end',
    'counter = (counter or 0) + 1\nkong.log.info("seen ", counter)',
    'local m = ngx.re.match(ngx.var.uri, [[^/users/(\\d+)]])\nif m then kong.ctx.shared.user = m[1] end',
    'for k, v in pairs(kong.request.get_query()) do ngx.header["X-Q-" .. k] = v end',
    'local t = { a = string.format("%d", 1), b = ("x"):upper() }\nreturn t',
    'goto done\n::done::',
    'ngx.var.upstream_uri = "/v2" .. ngx.var.uri',
  ])('accepts %s', (source) => {
    expect(checkLua(source, FUNCTION_SURFACE)).toBeNull();
  });

  it.each([
    ['os.execute("id")', 'uses `os.execute`, which the Gatehouse Lua sandbox does not provide (line 1)'],
    ['local x = 1\nio.open("/etc/passwd")', 'uses `io.open`, which the Gatehouse Lua sandbox does not provide (line 2)'],
    ['require("resty.http")', 'uses `require`'],
    ['loadstring("x")', 'uses `loadstring`'],
    ['kong.request.get_body()', 'uses `kong.request.get_body`'],
    ['local req = kong.service.request\nreq.set_body("x")', 'uses `kong.service.request.set_body`'],
    ['local v = ngx.var.upstream_addr', 'uses `ngx.var.upstream_addr`, which the data plane does not provide'],
    ['ngx.var.uri = "/x"', 'only `ngx.var.upstream_uri` can be set'],
    ['kong.request.get_header = print', 'assigns to `kong.request.get_header`'],
    ['local f = kong["cache"]', 'uses `kong.cache`'],
    ['local name = "request"\nlocal f = kong[name]', 'indexes `kong` with a computed key'],
    ['setmetatable({}, {})', 'uses `setmetatable`'],
    ['local x = <const> 1', 'does not compile'],
    ['if then end', 'does not compile'],
    [`local a${', a'.repeat(200)}`, 'too many local variables (limit is 200)'],
    [`return ${'{'.repeat(160)}${'}'.repeat(160)}`, 'nested too deeply'],
  ])('refuses %s', (source, message) => {
    expect(checkLua(source, FUNCTION_SURFACE)).toContain(message);
  });

  it('knows the template globals only in templates', () => {
    expect(checkLua('return headers["x-a"] or query_params.b or uri_captures[1] or shared.v', TEMPLATE_SURFACE)).toBeNull();
    expect(checkLua('return headers["x-a"]', FUNCTION_SURFACE)).toContain('uses `headers`');
  });
});
