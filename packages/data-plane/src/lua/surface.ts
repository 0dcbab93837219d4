/**
 * The Lua surface Gatehouse offers to `pre-function` / `post-function` code
 * and to request-transformer templates: Kong's `untrusted_lua = sandbox`
 * globals (kong/tools/sandbox/environment/lua.lua) and the part of Kong's PDK
 * such functions use. Pure data, importable by the schemas (CP, CLI, UI):
 * the static check (static-check.ts) refuses code that names anything else,
 * and the VM's prelude (prelude.ts) defines exactly these names.
 *
 * A node is `fn` (a function), `value` (a constant), `dyn` (a table any key
 * of which may be read or written: `ngx.var`, `kong.ctx.shared`), or a
 * record of named children.
 */
export type SurfaceNode = 'fn' | 'value' | 'dyn' | { readonly [name: string]: SurfaceNode };

const fns = (names: string): Record<string, SurfaceNode> =>
  Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, 'fn' as const]),
  );

/** Lua's own globals of Kong's sandbox (LuaJIT's extensions provided in Lua 5.4). */
const LUA_GLOBALS: Record<string, SurfaceNode> = {
  ...fns('assert error ipairs next pairs pcall print select tonumber tostring type unpack xpcall'),
  _VERSION: 'value',
  bit: fns('arshift band bnot bor bswap bxor lshift rol ror rshift tobit tohex'),
  coroutine: fns('create resume running status wrap yield'),
  io: fns('type'),
  jit: { os: 'value', arch: 'value', version: 'value', version_num: 'value' },
  math: {
    ...fns('abs acos asin atan atan2 ceil cos cosh deg exp floor fmod frexp ldexp log log10 max min modf pow rad random sin sinh sqrt tan tanh'),
    huge: 'value',
    pi: 'value',
  },
  os: fns('clock date difftime time'),
  string: fns('byte char find format gmatch gsub len lower match rep reverse sub upper'),
  table: fns('clear clone concat foreach foreachi getn insert isarray isempty maxn move new nkeys pack remove sort unpack'),
};

const HTTP_STATUS_NAMES =
  'HTTP_CONTINUE HTTP_SWITCHING_PROTOCOLS HTTP_OK HTTP_CREATED HTTP_ACCEPTED HTTP_NO_CONTENT HTTP_PARTIAL_CONTENT ' +
  'HTTP_SPECIAL_RESPONSE HTTP_MOVED_PERMANENTLY HTTP_MOVED_TEMPORARILY HTTP_SEE_OTHER HTTP_NOT_MODIFIED HTTP_TEMPORARY_REDIRECT HTTP_PERMANENT_REDIRECT ' +
  'HTTP_BAD_REQUEST HTTP_UNAUTHORIZED HTTP_PAYMENT_REQUIRED HTTP_FORBIDDEN HTTP_NOT_FOUND HTTP_NOT_ALLOWED HTTP_NOT_ACCEPTABLE HTTP_REQUEST_TIMEOUT ' +
  'HTTP_CONFLICT HTTP_GONE HTTP_UPGRADE_REQUIRED HTTP_TOO_MANY_REQUESTS HTTP_CLOSE HTTP_ILLEGAL HTTP_INTERNAL_SERVER_ERROR HTTP_METHOD_NOT_IMPLEMENTED ' +
  'HTTP_BAD_GATEWAY HTTP_SERVICE_UNAVAILABLE HTTP_GATEWAY_TIMEOUT HTTP_VERSION_NOT_SUPPORTED HTTP_INSUFFICIENT_STORAGE';

/** HTTP status constants of `ngx` and their values (lua-nginx-module's). */
export const NGX_HTTP_STATUS: Readonly<Record<string, number>> = Object.fromEntries(
  HTTP_STATUS_NAMES.split(' ').map((n, i) => [
    n,
    [
      100, 101, 200, 201, 202, 204, 206, 300, 301, 302, 303, 304, 307, 308, 400, 401, 402, 403, 404, 405, 406, 408, 409, 410, 426, 429, 444, 494, 500, 501, 502,
      503, 504, 505, 507,
    ][i] ?? 0,
  ]),
);

/** `ngx.log` levels and `ngx.OK` / `ngx.ERROR` (lua-nginx-module's values). */
export const NGX_CONSTANTS: Readonly<Record<string, number>> = {
  OK: 0,
  ERROR: -1,
  AGAIN: -2,
  DONE: -4,
  DECLINED: -5,
  STDERR: 0,
  EMERG: 1,
  ALERT: 2,
  CRIT: 3,
  ERR: 4,
  WARN: 5,
  NOTICE: 6,
  INFO: 7,
  DEBUG: 8,
};

const values = (names: Iterable<string>): Record<string, SurfaceNode> => Object.fromEntries([...names].map((n) => [n, 'value' as const]));

/** Kong's PDK subset: `kong.*`. */
const KONG: SurfaceNode = {
  request: fns(
    'get_header get_headers get_path get_path_with_query get_method get_query get_query_arg get_raw_query get_scheme get_host get_port get_uri_captures',
  ),
  service: { request: fns('set_header set_headers add_header clear_header set_path set_query set_raw_query set_method') },
  response: fns('exit error set_header add_header clear_header get_status get_header get_headers'),
  log: fns('debug info notice warn err crit alert emerg'),
  ctx: { shared: 'dyn', plugin: 'dyn' },
  client: fns('get_ip get_forwarded_ip get_consumer'),
};

/** lua-nginx-module's subset: `ngx.*`. */
const NGX: SurfaceNode = {
  var: 'dyn',
  header: 'dyn',
  ctx: 'dyn',
  req: fns('get_headers set_header clear_header get_method get_uri_args'),
  re: fns('match find gsub sub'),
  ...fns('exit log encode_base64 decode_base64 escape_uri unescape_uri encode_args now time'),
  null: 'value',
  ...values(Object.keys(NGX_HTTP_STATUS)),
  ...values(Object.keys(NGX_CONSTANTS)),
};

/** The globals of a serverless function (`kong`, `ngx`, Lua's sandboxed libraries, `_G` for the function's own globals). */
export const FUNCTION_SURFACE: Readonly<Record<string, SurfaceNode>> = { ...LUA_GLOBALS, kong: KONG, ngx: NGX, _G: 'dyn' };

/**
 * The globals of a request-transformer template: Kong's lazily loaded
 * `headers`, `query_params`, `uri_captures` and `shared`, `type`, and the
 * same sandboxed Lua and PDK as functions.
 */
export const TEMPLATE_SURFACE: Readonly<Record<string, SurfaceNode>> = {
  ...FUNCTION_SURFACE,
  headers: 'dyn',
  query_params: 'dyn',
  uri_captures: 'dyn',
  shared: 'dyn',
};

/** `ngx.var.<name>` names the DP answers (besides `http_<header>`, `cookie_<name>` and `arg_<name>`). */
export const NGX_VARS: readonly string[] = [
  'request_uri',
  'uri',
  'host',
  'hostname',
  'remote_addr',
  'binary_remote_addr',
  'scheme',
  'request_method',
  'args',
  'query_string',
  'is_args',
  'server_port',
  'request_id',
  'upstream_uri',
  'http_host',
];

/** Whether `ngx.var.<name>` is one the DP answers. */
export function isKnownNgxVar(name: string): boolean {
  return NGX_VARS.includes(name) || /^(http|cookie|arg)_[A-Za-z0-9_-]+$/.test(name);
}
