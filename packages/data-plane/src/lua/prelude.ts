import { PATTERN_ENGINE } from './patterns';

/**
 * The trusted Lua that builds the sandbox, run once when the VM loads. It
 * receives the host bridge (`H`, JS functions that act on the current
 * request, see host.ts) as its chunk argument, keeps it in upvalues only, and
 * answers the functions the VM calls: `compile`, `template`, `invoke`,
 * `release`. User code gets an environment whose only way out is the surface
 * of surface.ts: Kong's sandboxed Lua globals (LuaJIT's extras written in
 * Lua 5.4), `kong` and `ngx`. Library tables are read-only proxies; the
 * string metatable indexes the sandboxed `string`; `pcall`, `xpcall` and
 * `coroutine.resume` pass an exit or an exhausted budget on instead of
 * catching it.
 */
export const PRELUDE = String.raw`
local H = ...
local type, pairs, ipairs, next, select, tostring, tonumber, error, assert =
      type, pairs, ipairs, next, select, tostring, tonumber, error, assert
local setmetatable, rawget, rawset, pcall, xpcall, load = setmetatable, rawget, rawset, pcall, xpcall, load
local tconcat, tunpack, tsort = table.concat, table.unpack, table.sort
local sgsub, slower, sbyte, schar, ssub, sformat, sfind = string.gsub, string.lower, string.byte, string.char, string.sub, string.format, string.find
local mfloor, mtointeger = math.floor, math.tointeger
local co_resume = coroutine.resume

local EXIT = setmetatable({}, { __tostring = function() return "exit" end, __metatable = false })

local function readonly(name, t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error(("Cannot modify %s.%s. Protected by the sandbox."):format(name, tostring(k)), 2) end,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = false,
  })
end

local function pick(lib, names, into)
  local t = into or {}
  for n in names:gmatch("%S+") do t[n] = lib[n] end
  return t
end

-- an exit (kong.response.exit, ngx.exit) or a spent budget must not be caught by the function itself
local function pass_fatal(ok, ...)
  if not ok then
    local e = ...
    if e == EXIT or H.over() then error(e, 0) end
  end
  return ok, ...
end

local function s_pcall(f, ...) return pass_fatal(pcall(f, ...)) end
local function s_xpcall(f, handler, ...)
  return pass_fatal(xpcall(f, function(e)
    if e == EXIT or H.over() then return e end
    return handler(e)
  end, ...))
end

-- LuaJIT's bit library on Lua 5.4 integers
local function u32(x) return mtointeger(mfloor(x) % 4294967296) end
local function s32(x) x = u32(x); if x >= 2147483648 then return x - 4294967296 end return x end
local bit = {
  tobit = s32,
  bnot = function(x) return s32(~u32(x) & 0xffffffff) end,
  band = function(x, ...) local r = u32(x) for i = 1, select("#", ...) do r = r & u32((select(i, ...))) end return s32(r) end,
  bor = function(x, ...) local r = u32(x) for i = 1, select("#", ...) do r = r | u32((select(i, ...))) end return s32(r) end,
  bxor = function(x, ...) local r = u32(x) for i = 1, select("#", ...) do r = r ~ u32((select(i, ...))) end return s32(r) end,
  lshift = function(x, n) return s32((u32(x) << (u32(n) & 31)) & 0xffffffff) end,
  rshift = function(x, n) return s32(u32(x) >> (u32(n) & 31)) end,
  arshift = function(x, n) return s32(s32(x) // (1 << (u32(n) & 31))) end,
  rol = function(x, n) n = u32(n) & 31; x = u32(x); return s32(((x << n) | (x >> (32 - n))) & 0xffffffff) end,
  ror = function(x, n) n = u32(n) & 31; x = u32(x); return s32(((x >> n) | (x << (32 - n))) & 0xffffffff) end,
  bswap = function(x) x = u32(x); return s32(((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >> 8) & 0xff00) | (x >> 24)) end,
  tohex = function(x, n)
    n = n or 8
    local up = n < 0
    if up then n = -n end
    local s = sformat(up and "%08X" or "%08x", u32(x))
    return ssub(s, -n)
  end,
}

local m = pick(math, "abs acos asin atan ceil cos deg exp floor fmod huge log max min modf pi rad random sin sqrt tan")
m.atan2 = function(y, x) return math.atan(y, x) end
m.pow = function(a, b) return a ^ b end
m.log10 = function(x) return math.log(x, 10) end
m.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
m.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
m.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
m.ldexp = function(x, e) return x * 2.0 ^ e end
m.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = mfloor(math.log(math.abs(x), 2)) + 1
  local f = x / 2.0 ^ e
  if math.abs(f) >= 1 then f, e = f / 2, e + 1 elseif math.abs(f) < 0.5 then f, e = f * 2, e - 1 end
  return f, e
end

local t = pick(table, "concat insert move pack remove sort unpack")
t.clear = function(tb) for k in pairs(tb) do tb[k] = nil end end
t.clone = function(tb) local c = {} for k, v in next, tb do c[k] = v end return c end
t.foreach = function(tb, f) for k, v in pairs(tb) do local r = f(k, v) if r ~= nil then return r end end end
t.foreachi = function(tb, f) for i, v in ipairs(tb) do local r = f(i, v) if r ~= nil then return r end end end
t.getn = function(tb) return #tb end
t.maxn = function(tb) local n = 0 for k in pairs(tb) do if type(k) == "number" and k > n then n = k end end return n end
t.new = function() return {} end
t.nkeys = function(tb) local n = 0 for _ in pairs(tb) do n = n + 1 end return n end
t.isempty = function(tb) return next(tb) == nil end
t.isarray = function(tb)
  local n = 0
  for k in pairs(tb) do
    if type(k) ~= "number" or k < 1 or mfloor(k) ~= k then return false end
    n = n + 1
  end
  for i = 1, n do if tb[i] == nil then return false end end
  return true
end

${PATTERN_ENGINE}
local s = pick(string, "byte char format len lower rep reverse sub upper")
s.find, s.match, s.gmatch, s.gsub = PATTERNS.find, PATTERNS.match, PATTERNS.gmatch, PATTERNS.gsub
local SAFE_STRING = readonly("string", s)
-- methods on strings ("x"):rep() see the sandboxed library, never string.dump
getmetatable("").__index = SAFE_STRING

local function log_args(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  return tconcat(parts)
end

-- kong.* / ngx.* ------------------------------------------------------------

local cur = nil -- the current request's state: { shared = {}, ngx = {}, plugin = {} }
local cur_plugin = nil

local function header_key(k) return (sgsub(slower(k), "_", "-")) end
local HEADERS_MT = { __index = function(tb, k)
  if type(k) ~= "string" then return nil end
  local n = header_key(k)
  if n ~= k then return rawget(tb, n) end
end }
local function headers_table(h) return setmetatable(h, HEADERS_MT) end

local function check_name(_, name)
  if type(name) ~= "string" then error(("invalid header name %s: got %s, expected string"):format(tostring(name), type(name)), 3) end
end
local function header_value(name, value)
  local tv = type(value)
  if tv == "string" then return value end
  if tv == "number" or tv == "boolean" then return tostring(value) end
  if tv == "table" then
    local out = {}
    for i, v in ipairs(value) do out[i] = header_value(name, v) end
    return out
  end
  error(("invalid header value for %q: got %s, expected array of string, string, number or boolean"):format(name, tv), 3)
end

local function exit_now() error(EXIT, 0) end

-- Only strings, numbers and booleans cross to the host: a header's values go one call each.
local function send_header(set, add, clear, name, value)
  local v = header_value(name, value)
  if type(v) == "string" then set(name, v) return end
  if v[1] == nil then clear(name) return end
  set(name, v[1])
  for i = 2, #v do add(name, v[i]) end
end
local function svc_clear(n) H.svc_clear_header(n) end
local function resp_clear(n) H.resp_set_header(n, nil) end
local function exit_headers(headers)
  if headers == nil then return end
  for k, v in pairs(headers) do
    local name = tostring(k)
    send_header(function(n, x) H.exit_header(n, x, true) end, function(n, x) H.exit_header(n, x, false) end, function() end, name, v)
  end
end

-- kong.response.exit's JSON, as lua-cjson writes it (Kong's encoder): "/" escaped, %.14g numbers, {} for an empty table
local JSON_ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["/"] = "\\/", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function json_string(x)
  return '"' .. sgsub(x, '[%c"\\/]', function(c) return JSON_ESCAPES[c] or sformat("\\u%04x", sbyte(c)) end) .. '"'
end
local NGX_NULL
local function json_encode(value)
  local out = {}
  local function enc(x, depth)
    local tx = type(x)
    if x == nil or x == NGX_NULL then out[#out + 1] = "null"
    elseif tx == "boolean" then out[#out + 1] = x and "true" or "false"
    elseif tx == "number" then
      if x ~= x or x == math.huge or x == -math.huge then error("Cannot serialise number: must not be NaN or Infinity", 0) end
      out[#out + 1] = math.type(x) == "integer" and tostring(x) or sformat("%.14g", x)
    elseif tx == "string" then out[#out + 1] = json_string(x)
    elseif tx == "table" then
      if depth > 1000 then error("Cannot serialise, excessive nesting (1001)", 0) end
      local n, max, array = 0, 0, true
      for k in pairs(x) do
        n = n + 1
        if math.type(k) ~= "integer" or k < 1 then array = false break end
        if k > max then max = k end
      end
      if n == 0 then out[#out + 1] = "{}" return end
      if array and max == n then
        out[#out + 1] = "["
        for i = 1, n do if i > 1 then out[#out + 1] = "," end enc(x[i], depth + 1) end
        out[#out + 1] = "]"
        return
      end
      out[#out + 1] = "{"
      local first = true
      for k, v in pairs(x) do
        local tk = type(k)
        if tk ~= "string" and tk ~= "number" then error("Cannot serialise " .. tk .. ": table key must be a number or string", 0) end
        if not first then out[#out + 1] = "," end
        first = false
        out[#out + 1] = json_string(tostring(k))
        out[#out + 1] = ":"
        enc(v, depth + 1)
      end
      out[#out + 1] = "}"
    else
      error("Cannot serialise " .. tx .. ": type not supported", 0)
    end
  end
  enc(value, 1)
  return tconcat(out)
end

local function encode_value(v)
  return (sgsub(tostring(v), "[^%w%-%._~]", function(c) return sformat("%%%02X", sbyte(c)) end))
end
local function encode_args(args)
  local keys = {}
  for k in pairs(args) do keys[#keys + 1] = tostring(k) end
  tsort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = args[k]
    if type(v) == "table" then
      for _, one in ipairs(v) do
        if one == true then out[#out + 1] = encode_value(k) elseif one then out[#out + 1] = encode_value(k) .. "=" .. encode_value(one) end
      end
    elseif v == true then
      out[#out + 1] = encode_value(k)
    elseif v then
      out[#out + 1] = encode_value(k) .. "=" .. encode_value(v)
    end
  end
  return tconcat(out, "&")
end

local request = {
  get_header = function(name) check_name("get_header", name) return H.req_header(header_key(name)) end,
  get_headers = function() return headers_table(H.req_headers()) end,
  get_path = function() return H.req_path() end,
  get_path_with_query = function() local q = H.req_raw_query() if q == "" then return H.req_path() end return H.req_path() .. "?" .. q end,
  get_method = function() return H.req_method() end,
  get_query = function() return H.req_query() end,
  get_query_arg = function(name) local v = H.req_query()[name] if type(v) == "table" then return v[1] end return v end,
  get_raw_query = function() return H.req_raw_query() end,
  get_scheme = function() return H.req_scheme() end,
  get_host = function() return H.req_host() end,
  get_port = function() return H.req_port() end,
  -- Kong's shape: unnamed[0] is the whole match, unnamed[n] group n; named by name
  get_uri_captures = function()
    local c = H.uri_captures()
    local unnamed, named = {}, {}
    if c then
      for i, v in ipairs(c.all) do if v ~= false then unnamed[i - 1] = v end end
      for k, v in pairs(c.names) do if v ~= false then named[k] = v end end
    end
    return { unnamed = unnamed, named = named }
  end,
}

local function phase_check(what)
  local err = H.phase_error(what)
  if err then error(err, 3) end
end

local service_request = {
  set_header = function(name, value) check_name("set_header", name) phase_check("service") send_header(H.svc_set_header, H.svc_add_header, svc_clear, name, value) end,
  add_header = function(name, value) check_name("add_header", name) phase_check("service") send_header(H.svc_add_header, H.svc_add_header, function() end, name, value) end,
  clear_header = function(name) check_name("clear_header", name) phase_check("service") H.svc_clear_header(name) end,
  set_headers = function(headers)
    if type(headers) ~= "table" then error("headers must be a table", 2) end
    phase_check("service")
    for k, v in pairs(headers) do check_name("set_headers", k) send_header(H.svc_set_header, H.svc_add_header, svc_clear, k, v) end
  end,
  set_path = function(path)
    if type(path) ~= "string" or ssub(path, 1, 1) ~= "/" then error("path must be a string starting with '/'", 2) end
    phase_check("service")
    H.svc_set_path(path)
  end,
  set_raw_query = function(q) if type(q) ~= "string" then error("query must be a string", 2) end phase_check("service") H.svc_set_raw_query(q) end,
  set_query = function(args) if type(args) ~= "table" then error("args must be a table", 2) end phase_check("service") H.svc_set_raw_query(encode_args(args)) end,
  set_method = function(m) if type(m) ~= "string" then error("method must be a string", 2) end phase_check("service") H.svc_set_method(m) end,
}

local response = {
  exit = function(status, body, headers)
    phase_check("exit")
    if type(status) ~= "number" or status < 100 or status > 599 then error("code must be a number between 100 and 599", 2) end
    if headers ~= nil and type(headers) ~= "table" then error("headers must be a nil or table", 2) end
    if body ~= nil and type(body) ~= "string" and type(body) ~= "table" then error("body must be a nil, string or table", 2) end
    local json = type(body) == "table"
    if json then body = json_encode(body) end
    exit_headers(headers)
    H.resp_exit(status, body, json)
    exit_now()
  end,
  error = function(status, message, headers)
    phase_check("exit")
    if type(status) ~= "number" or status < 400 or status > 599 then error("code must be a number between 400 and 599", 2) end
    if headers ~= nil and type(headers) ~= "table" then error("headers must be a nil or table", 2) end
    exit_headers(headers)
    H.resp_error(status, type(message) == "string" and message or nil)
    exit_now()
  end,
  set_header = function(name, value) check_name("set_header", name) phase_check("header") send_header(H.resp_set_header, H.resp_add_header, resp_clear, name, value) end,
  add_header = function(name, value) check_name("add_header", name) phase_check("header") send_header(H.resp_add_header, H.resp_add_header, function() end, name, value) end,
  clear_header = function(name) check_name("clear_header", name) phase_check("header") H.resp_set_header(name, nil) end,
  get_status = function() return H.resp_status() end,
  get_header = function(name) check_name("get_header", name) return H.resp_header(header_key(name)) end,
  get_headers = function() return headers_table(H.resp_headers()) end,
}

local LEVELS = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" }
local klog = {}
for _, l in ipairs(LEVELS) do klog[l] = function(...) H.log(l, log_args(...)) end end

local kctx = setmetatable({}, {
  __index = function(_, k)
    if cur == nil then return nil end
    if k == "shared" then return cur.shared end
    if k == "plugin" then
      local p = cur.plugin[cur_plugin]
      if p == nil then p = {} cur.plugin[cur_plugin] = p end
      return p
    end
  end,
  __newindex = function(_, k) error(("Cannot modify kong.ctx.%s. Protected by the sandbox."):format(tostring(k)), 2) end,
  __metatable = false,
})

local client = {
  get_ip = function() return H.client_ip() end,
  get_forwarded_ip = function() return H.client_ip() end,
  get_consumer = function() return H.consumer() end,
}

local kong = readonly("kong", {
  request = readonly("kong.request", request),
  service = readonly("kong.service", { request = readonly("kong.service.request", service_request) }),
  response = readonly("kong.response", response),
  log = readonly("kong.log", klog),
  ctx = kctx,
  client = readonly("kong.client", client),
})

-- base64 in Lua: binary strings stay in the VM
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local B64_INDEX = {}
for i = 1, 64 do B64_INDEX[sbyte(B64, i)] = i - 1 end
local function encode_base64(str, no_padding)
  if type(str) ~= "string" then str = tostring(str) end
  local out = {}
  for i = 1, #str, 3 do
    local a, b, c = sbyte(str, i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local q1, q2, q3, q4 = (n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63
    out[#out + 1] = ssub(B64, q1 + 1, q1 + 1) .. ssub(B64, q2 + 1, q2 + 1) ..
      (b and ssub(B64, q3 + 1, q3 + 1) or (no_padding and "" or "=")) ..
      (c and ssub(B64, q4 + 1, q4 + 1) or (no_padding and "" or "="))
  end
  return tconcat(out)
end
local function decode_base64(str)
  if type(str) ~= "string" then error("string argument only", 2) end
  local stop = #str
  while stop > 0 and sbyte(str, stop) == 61 do stop = stop - 1 end
  str = ssub(str, 1, stop)
  if #str % 4 == 1 then return nil end
  local out, bits, n = {}, 0, 0
  for i = 1, #str do
    local v = B64_INDEX[sbyte(str, i)]
    if v == nil then return nil end
    bits = (bits << 6) | v
    n = n + 6
    if n >= 8 then
      n = n - 8
      out[#out + 1] = schar((bits >> n) & 255)
    end
  end
  return tconcat(out)
end

local function captures_table(c)
  if c == nil then return nil end
  local out = {}
  for i, v in ipairs(c.all) do out[i - 1] = v end
  for k, v in pairs(c.names or {}) do out[k] = v end
  return out
end

local function expand(template, caps)
  local braced = PATTERNS.gsub(template, "%$(%b{})", function(name) return "$" .. ssub(name, 2, -2) end)
  return (PATTERNS.gsub(braced, "%$(%$?)([%w_]*)", function(dollar, name)
    if dollar == "$" then return "$" .. name end
    local n = tonumber(name)
    local v
    if n then v = caps[n] else v = caps[name] end
    if v == nil or v == false then return "" end
    return tostring(v)
  end))
end

local function re_arg(regex)
  if type(regex) ~= "string" then error(("bad argument #2 (string expected, got %s)"):format(type(regex)), 3) end
  return regex
end

local function re_gsub(subject, regex, replace, options, limit)
  local matches, err = H.re_all(subject, re_arg(regex), tostring(options or ""), limit or 0)
  if matches == nil then return nil, nil, err end
  local out, last = {}, 1
  for _, mt in ipairs(matches) do
    out[#out + 1] = ssub(subject, last, mt.from - 1)
    local caps = captures_table(mt)
    local r
    if type(replace) == "function" then r = replace(caps) else r = expand(tostring(replace), caps) end
    out[#out + 1] = tostring(r or "")
    last = mt.to + 1
  end
  out[#out + 1] = ssub(subject, last)
  return tconcat(out), #matches
end

local VAR = setmetatable({}, {
  __index = function(_, k) return H.var(tostring(k)) end,
  __newindex = function(_, k, v)
    if k ~= "upstream_uri" then error(("variable %q not changeable"):format(tostring(k)), 2) end
    H.var_set(k, tostring(v))
  end,
  __metatable = false,
})
local HEADER = setmetatable({}, {
  __index = function(_, k) return H.resp_header(header_key(tostring(k))) end,
  __newindex = function(_, k, v)
    phase_check("header")
    if v == nil then resp_clear(header_key(tostring(k))) else send_header(H.resp_set_header, H.resp_add_header, resp_clear, header_key(tostring(k)), v) end
  end,
  __metatable = false,
})
local NGX_CTX = setmetatable({}, {
  __index = function(_, k) return cur and cur.ngx[k] end,
  __newindex = function(_, k, v) if cur then cur.ngx[k] = v end end,
  __metatable = false,
})

local LOG_NAMES = { [0] = "notice", "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" }

local ngx = {
  var = VAR,
  header = HEADER,
  ctx = NGX_CTX,
  req = readonly("ngx.req", {
    get_headers = request.get_headers,
    set_header = function(name, value)
      check_name("set_header", name)
      phase_check("service")
      if value == nil then H.svc_clear_header(name) else send_header(H.svc_set_header, H.svc_add_header, svc_clear, name, value) end
    end,
    clear_header = service_request.clear_header,
    get_method = request.get_method,
    get_uri_args = request.get_query,
  }),
  re = readonly("ngx.re", {
    match = function(subject, regex, options)
      local list, err = H.re_all(tostring(subject), re_arg(regex), tostring(options or ""), 1)
      if list == nil then return nil, err end
      if list[1] == nil then return nil end
      return captures_table(list[1])
    end,
    find = function(subject, regex, options, _, nth)
      local list, err = H.re_all(tostring(subject), re_arg(regex), tostring(options or ""), 1)
      if list == nil then return nil, nil, err end
      local mt = list[1]
      if mt == nil then return nil end
      if nth and nth > 0 then
        local span = mt.spans and mt.spans[nth]
        if not span then return nil end
        return span[1], span[2]
      end
      return mt.from, mt.to
    end,
    gsub = function(subject, regex, replace, options) return re_gsub(tostring(subject), regex, replace, options, 0) end,
    sub = function(subject, regex, replace, options) return re_gsub(tostring(subject), regex, replace, options, 1) end,
  }),
  exit = function(status)
    if type(status) ~= "number" then error("bad argument #1 to 'exit' (number expected)", 2) end
    if status >= 200 then phase_check("exit") H.ngx_exit(status) end
    exit_now()
  end,
  log = function(level, ...) H.log(LOG_NAMES[level] or "notice", log_args(...)) end,
  encode_base64 = encode_base64,
  decode_base64 = decode_base64,
  escape_uri = function(v) return encode_value(v) end,
  unescape_uri = function(v) return (sgsub(tostring(v), "%%(%x%x)", function(h) return schar(tonumber(h, 16)) end)) end,
  encode_args = encode_args,
  now = function() return H.now() end,
  time = function() return mfloor(H.now()) end,
  null = setmetatable({}, { __tostring = function() return "null" end, __metatable = false }),
}
NGX_NULL = ngx.null
for k, v in pairs(H.constants()) do ngx[k] = v end
ngx = readonly("ngx", ngx)

local function denied_require(name)
  error(("require '%s' not allowed within sandbox"):format(tostring(name)), 2)
end

local BASE = {
  _VERSION = _VERSION,
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, select = select,
  tonumber = tonumber, tostring = tostring, type = type, unpack = tunpack,
  pcall = s_pcall, xpcall = s_xpcall,
  print = function(...) local parts = {} for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end H.log("notice", tconcat(parts, "\t")) end,
  require = denied_require,
  bit = readonly("bit", bit),
  coroutine = readonly("coroutine", pick(coroutine, "create running status wrap yield", { resume = function(co, ...) return pass_fatal(co_resume(co, ...)) end })),
  io = readonly("io", { type = function() return nil end }),
  jit = readonly("jit", { os = "Linux", arch = "wasm32", version = _VERSION, version_num = 50400 }),
  math = readonly("math", m),
  os = readonly("os", pick(os, "clock date difftime time")),
  string = SAFE_STRING,
  table = readonly("table", t),
  kong = kong,
  ngx = ngx,
}

local STATES = {}

local function invoke(fn, rid, pid, ...)
  local st = STATES[rid]
  if st == nil then st = { shared = {}, ngx = {}, plugin = {} } STATES[rid] = st end
  cur, cur_plugin = st, pid
  local ok, r = pcall(fn, ...)
  cur, cur_plugin = nil, nil
  if ok then return 0, r end
  if r == EXIT then return 1 end
  return 2, tostring(r)
end

local function release(rid) STATES[rid] = nil end

-- a serverless function: Kong runs the chunk; if it returns a function, that function runs from then on
local function compile(src, name)
  local env = setmetatable({}, { __index = BASE })
  env._G = env
  local chunk, err = load(src, "=" .. name, "t", env)
  if not chunk then return nil, err end
  local fn, first = chunk, true
  return function()
    if not first then return fn() end
    first = false
    local r = chunk()
    if type(r) == "function" then fn = r return r() end
    return r
  end
end

-- a template: headers, query_params, uri_captures and shared are loaded on first use, per render
local TEMPLATE_LAZY = {
  headers = function() return request.get_headers() end,
  query_params = function() return request.get_query() end,
  uri_captures = function() return captures_table(H.uri_captures()) or readonly("uri_captures", {}) end,
  shared = function() return cur and cur.shared or {} end,
}
local function template(code, name)
  local loaded = {}
  local env = setmetatable({}, {
    __index = function(_, k)
      local lazy = TEMPLATE_LAZY[k]
      if lazy == nil then return BASE[k] end
      local v = loaded[k]
      if v == nil then v = lazy() loaded[k] = v end
      return v
    end,
    __newindex = function() error("This environment is read-only.", 2) end,
  })
  local chunk, err = load(code, "=" .. name, "t", env)
  if not chunk then return nil, err end
  return function()
    loaded = {}
    return chunk(tostring)
  end
end

local collectgarbage = collectgarbage
return { compile = compile, template = template, invoke = invoke, release = release, collect = function() collectgarbage() end, compare_patterns = PATTERNS_COMPARE }
`;
