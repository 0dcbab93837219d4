/**
 * Lua's pattern matching (string.find / match / gmatch / gsub), written in
 * Lua after the reference implementation (lstrlib.c), for the prelude.
 *
 * Why: the C matcher runs as one call the instruction hook cannot
 * interrupt, and a pattern with backtracking quantifiers over a long
 * subject is polynomial in its length (`("a"):rep(1e6):find("a*b")` never
 * ends). The sandbox's string functions use the C matcher when the worst
 * case is small — no quantifier, or (length + 1) ^ (quantifiers + 1) within
 * NATIVE_BUDGET — and this one otherwise, whose every step counts against
 * the call's budget, so such a call ends in a timeout instead of hanging.
 * Semantics and error messages are Lua 5.4's (a differential test compares
 * both on the same inputs).
 *
 * The chunk expects `sbyte`, `ssub`, `schar`, `sfind`, `tconcat`, `type`,
 * `tostring`, `error`, `select` and `mfloor` as locals, and defines `PATTERNS`
 * (the sandbox's `find`, `match`, `gmatch`, `gsub`) and `PATTERNS_COMPARE`.
 */
export const PATTERN_ENGINE = String.raw`
local PATTERNS, PATTERNS_COMPARE do
  local native_find, native_match, native_gmatch, native_gsub = string.find, string.match, string.gmatch, string.gsub
  local CAP_UNFINISHED, CAP_POSITION, MAXCAPTURES, MAXDEPTH = -1, -2, 32, 200
  local NATIVE_BUDGET = math.log(2e7)
  local force_lua = false
  local tointeger, pack, unpack = math.tointeger, table.pack, table.unpack

  -- the matcher's own errors, raised where the sandboxed function was called (as the C library raises them)
  local function perr(msg) error({ pattern_error = msg }, 0) end
  local function lua_call(f, ...)
    local r = pack(pcall(f, ...))
    if r[1] then return unpack(r, 2, r.n) end
    local e = r[2]
    if type(e) == "table" and e.pattern_error then error(e.pattern_error, 2) end
    error(e, 0)
  end
  -- the C functions' own errors, raised at the sandboxed function's caller too (called through pcall they carry no position)
  local function pass(ok, ...)
    if ok then return ... end
    local e = ...
    -- an error raised by a gsub callback already says where it comes from
    if type(e) == "string" and not native_find(e, "^[^:\n]+:%d+: ") then error(e, 2) end
    error(e, 0)
  end
  local function nospecials(pat) return not native_find(pat, "[%^%$%*%+%?%.%(%[%%%-]") end

  -- C-locale character classes, built from the C library itself
  local CLASS = {}
  for cl in ("acdglpsuwx"):gmatch(".") do
    local t = {}
    for b = 0, 255 do t[b] = native_find(schar(b), "^%" .. cl) ~= nil end
    CLASS[sbyte(cl)] = t
  end

  local function match_class(c, cl)
    local t = CLASS[cl]
    if t then return t[c] end
    local lower = cl | 32
    t = CLASS[lower]
    if t and cl ~= lower then return not t[c] end
    return cl == c
  end

  local function class_end(ms, p)
    local pat = ms.pat
    local c = sbyte(pat, p)
    p = p + 1
    if c == 37 then
      if p > ms.plen then perr("malformed pattern (ends with '%')") end
      return p + 1
    elseif c == 91 then
      if sbyte(pat, p) == 94 then p = p + 1 end
      repeat
        if p > ms.plen then perr("malformed pattern (missing ']')") end
        local cc = sbyte(pat, p)
        p = p + 1
        if cc == 37 and p <= ms.plen then p = p + 1 end
      until sbyte(pat, p) == 93
      return p + 1
    end
    return p
  end

  -- p: index of '[', ec: index of its ']'
  local function match_bracket(pat, c, p, ec)
    local sig = true
    if sbyte(pat, p + 1) == 94 then sig = false p = p + 1 end
    p = p + 1
    while p < ec do
      local pc = sbyte(pat, p)
      if pc == 37 then
        p = p + 1
        if match_class(c, sbyte(pat, p)) then return sig end
      elseif sbyte(pat, p + 1) == 45 and p + 2 < ec then
        if pc <= c and c <= sbyte(pat, p + 2) then return sig end
        p = p + 2
      elseif pc == c then
        return sig
      end
      p = p + 1
    end
    return not sig
  end

  local function single_match(ms, s, p, ep)
    if s > ms.slen then return false end
    local c = sbyte(ms.src, s)
    local pc = sbyte(ms.pat, p)
    if pc == 46 then return true end
    if pc == 37 then return match_class(c, sbyte(ms.pat, p + 1)) end
    if pc == 91 then return match_bracket(ms.pat, c, p, ep - 1) end
    return pc == c
  end

  local do_match

  local function max_expand(ms, s, p, ep)
    local i = 0
    while single_match(ms, s + i, p, ep) do i = i + 1 end
    while i >= 0 do
      local r = do_match(ms, s + i, ep + 1)
      if r then return r end
      i = i - 1
    end
    return nil
  end

  local function min_expand(ms, s, p, ep)
    while true do
      local r = do_match(ms, s, ep + 1)
      if r then return r end
      if single_match(ms, s, p, ep) then s = s + 1 else return nil end
    end
  end

  local function start_capture(ms, s, p, what)
    local level = ms.level + 1
    if level > MAXCAPTURES then perr("too many captures") end
    ms.init[level], ms.len[level] = s, what
    ms.level = level
    local r = do_match(ms, s, p)
    if r == nil then ms.level = ms.level - 1 end
    return r
  end

  local function end_capture(ms, s, p)
    local l
    for i = ms.level, 1, -1 do
      if ms.len[i] == CAP_UNFINISHED then l = i break end
    end
    if l == nil then perr("invalid pattern capture") end
    ms.len[l] = s - ms.init[l]
    local r = do_match(ms, s, p)
    if r == nil then ms.len[l] = CAP_UNFINISHED end
    return r
  end

  local function match_balance(ms, s, p)
    if p + 1 > ms.plen then perr("malformed pattern (missing arguments to '%b')") end
    if s > ms.slen or sbyte(ms.src, s) ~= sbyte(ms.pat, p) then return nil end
    local b, e = sbyte(ms.pat, p), sbyte(ms.pat, p + 1)
    local cont = 1
    s = s + 1
    while s <= ms.slen do
      local c = sbyte(ms.src, s)
      if c == e then
        cont = cont - 1
        if cont == 0 then return s + 1 end
      elseif c == b then
        cont = cont + 1
      end
      s = s + 1
    end
    return nil
  end

  local function match_capture(ms, s, d)
    local l = d - 48
    if l < 1 or l > ms.level or ms.len[l] == CAP_UNFINISHED then perr(("invalid capture index %%%d"):format(l)) end
    local len = ms.len[l]
    if ms.slen - s + 1 >= len and ssub(ms.src, ms.init[l], ms.init[l] + len - 1) == ssub(ms.src, s, s + len - 1) then return s + len end
    return nil
  end

  do_match = function(ms, s, p)
    ms.depth = ms.depth - 1
    if ms.depth == 0 then perr("pattern too complex") end
    local pat, plen = ms.pat, ms.plen
    local r
    while true do
      if p > plen then r = s break end
      local pc = sbyte(pat, p)
      if pc == 40 then
        if sbyte(pat, p + 1) == 41 then r = start_capture(ms, s, p + 2, CAP_POSITION) else r = start_capture(ms, s, p + 1, CAP_UNFINISHED) end
        break
      elseif pc == 41 then
        r = end_capture(ms, s, p + 1)
        break
      elseif pc == 36 and p == plen then
        if s == ms.slen + 1 then r = s end
        break
      end
      local nc = pc == 37 and sbyte(pat, p + 1) or nil
      if nc == 98 then
        s = match_balance(ms, s, p + 2)
        if s == nil then break end
        p = p + 4
      elseif nc == 102 then
        p = p + 2
        if sbyte(pat, p) ~= 91 then perr("missing '[' after '%f' in pattern") end
        local ep = class_end(ms, p)
        local prev = s == 1 and 0 or sbyte(ms.src, s - 1)
        local cur = s <= ms.slen and sbyte(ms.src, s) or 0
        if match_bracket(pat, prev, p, ep - 1) or not match_bracket(pat, cur, p, ep - 1) then break end
        p = ep
      elseif nc ~= nil and nc >= 48 and nc <= 57 then
        s = match_capture(ms, s, nc)
        if s == nil then break end
        p = p + 2
      else
        local ep = class_end(ms, p)
        local epc = sbyte(pat, ep)
        if not single_match(ms, s, p, ep) then
          if epc == 42 or epc == 63 or epc == 45 then p = ep + 1 else break end
        elseif epc == 63 then
          local rr = do_match(ms, s + 1, ep + 1)
          if rr then r = rr break end
          p = ep + 1
        elseif epc == 43 then
          r = max_expand(ms, s + 1, p, ep)
          break
        elseif epc == 42 then
          r = max_expand(ms, s, p, ep)
          break
        elseif epc == 45 then
          r = min_expand(ms, s, p, ep)
          break
        else
          s = s + 1
          p = ep
        end
      end
    end
    ms.depth = ms.depth + 1
    return r
  end

  local function new_state(src, pat, p0)
    return { src = src, slen = #src, pat = pat, plen = #pat, p0 = p0, level = 0, depth = MAXDEPTH, init = {}, len = {} }
  end

  local function reset(ms) ms.level = 0 ms.depth = MAXDEPTH end

  local function one_capture(ms, i, s, e)
    if i > ms.level then
      if i ~= 1 then perr(("invalid capture index %%%d"):format(i)) end
      return ssub(ms.src, s, e - 1)
    end
    local len = ms.len[i]
    if len == CAP_UNFINISHED then perr("unfinished capture") end
    if len == CAP_POSITION then return ms.init[i] end
    return ssub(ms.src, ms.init[i], ms.init[i] + len - 1)
  end

  local function captures(ms, s, e, whole)
    local n = (ms.level == 0 and whole) and 1 or ms.level
    local out = {}
    for i = 1, n do out[i] = one_capture(ms, i, s, e) end
    return table.unpack(out, 1, n)
  end

  -- the worst case of the C matcher: (length + 1) ^ (backtracking items + 1)
  local function native_ok(len, pat)
    if force_lua then return false end
    if not native_find(pat, "[%*%+%-%?%%]") then return true end
    local q = 0
    for _ in native_gmatch(pat, "[%*%+%-%?]") do q = q + 1 end
    for _ in native_gmatch(pat, "%%b") do q = q + 1 end
    return q == 0 or (q + 1) * math.log(len + 1) <= NATIVE_BUDGET
  end

  local function check_string(v, n, fname)
    local t = type(v)
    if t == "string" then return v end
    if t == "number" then return tostring(v) end
    error(("bad argument #%d to '%s' (string expected, got %s)"):format(n, fname, v == nil and "no value" or t), 3)
  end

  local function start_at(init, len, fname)
    init = init or 1
    if tointeger(init) == nil then error(("bad argument #3 to '%s' (number has no integer representation)"):format(fname), 3) end
    init = tointeger(init)
    if init > 0 then return init end
    if init == 0 or init < -len then return 1 end
    return len + init + 1
  end

  local function find_lua(is_find, s, pat, i)
    local ls = #s
    local anchor = sbyte(pat, 1) == 94
    local ms = new_state(s, pat)
    local p = anchor and 2 or 1
    repeat
      reset(ms)
      local e = do_match(ms, i, p)
      if e then
        if is_find then
          if ms.level == 0 then return i, e - 1 end
          return i, e - 1, captures(ms, nil, 0, false)
        end
        return captures(ms, i, e, true)
      end
      i = i + 1
    until i > ls + 1 or anchor
    return nil
  end

  local function find_aux(is_find, s, pat, init, plain)
    local fname = is_find and "find" or "match"
    s = check_string(s, 1, fname)
    pat = check_string(pat, 2, fname)
    if is_find and (plain or nospecials(pat)) then return pass(pcall(native_find, s, pat, init, true)) end
    if native_ok(#s, pat) then
      if is_find then return pass(pcall(native_find, s, pat, init)) end
      return pass(pcall(native_match, s, pat, init))
    end
    local i = start_at(init, #s, fname)
    if i > #s + 1 then return nil end
    return lua_call(find_lua, is_find, s, pat, i)
  end

  local function gmatch(s, pat, init)
    s = check_string(s, 1, "gmatch")
    pat = check_string(pat, 2, "gmatch")
    if native_ok(#s, pat) then return native_gmatch(s, pat, init) end
    local ms = new_state(s, pat)
    local pos = start_at(init, #s, "gmatch")
    if pos > #s + 1 then pos = #s + 2 end
    local last = nil
    local function step()
      while pos <= ms.slen + 1 do
        reset(ms)
        local src = pos
        local e = do_match(ms, src, 1)
        if e ~= nil and e ~= last then
          pos, last = e, e
          return captures(ms, src, e, true)
        end
        pos = src + 1
      end
      return nil
    end
    return function() return lua_call(step) end
  end

  local function add_value(ms, out, s, e, repl, tr)
    local v
    if tr == "function" then
      v = repl(captures(ms, s, e, true))
    elseif tr == "table" then
      v = repl[one_capture(ms, 1, s, e)]
    else
      local r, i, n = repl, 1, #repl
      local parts = {}
      while i <= n do
        local c = sbyte(r, i)
        if c == 37 then
          i = i + 1
          local d = sbyte(r, i)
          if d == 37 then parts[#parts + 1] = "%"
          elseif d ~= nil and d >= 48 and d <= 57 then
            if d == 48 then parts[#parts + 1] = ssub(ms.src, s, e - 1)
            else parts[#parts + 1] = tostring(one_capture(ms, d - 48, s, e)) end
          else
            perr("invalid use of '%' in replacement string")
          end
        else
          parts[#parts + 1] = schar(c)
        end
        i = i + 1
      end
      out[#out + 1] = tconcat(parts)
      return
    end
    if not v then
      out[#out + 1] = ssub(ms.src, s, e - 1)
    elseif type(v) ~= "string" and type(v) ~= "number" then
      perr(("invalid replacement value (a %s)"):format(type(v)))
    else
      out[#out + 1] = tostring(v)
    end
  end

  local gsub_lua
  local function gsub(s, pat, repl, max_n)
    s = check_string(s, 1, "gsub")
    pat = check_string(pat, 2, "gsub")
    local tr = type(repl)
    if tr == "number" then repl = tostring(repl) tr = "string" end
    if tr ~= "string" and tr ~= "table" and tr ~= "function" then
      error(("bad argument #3 to 'gsub' (string/function/table expected, got %s)"):format(repl == nil and "no value" or tr), 2)
    end
    if native_ok(#s, pat) then return pass(pcall(native_gsub, s, pat, repl, max_n)) end
    return lua_call(gsub_lua, s, pat, repl, tr, max_n)
  end

  gsub_lua = function(s, pat, repl, tr, max_n)
    local anchor = sbyte(pat, 1) == 94
    local p = anchor and 2 or 1
    local ms = new_state(s, pat)
    local src, last, n, out = 1, nil, 0, {}
    max_n = max_n or #s + 1
    while n < max_n do
      reset(ms)
      local e = do_match(ms, src, p)
      if e ~= nil and e ~= last then
        n = n + 1
        add_value(ms, out, src, e, repl, tr)
        src, last = e, e
      elseif src <= ms.slen then
        out[#out + 1] = ssub(s, src, src)
        src = src + 1
      else
        break
      end
      if anchor then break end
    end
    out[#out + 1] = ssub(s, src)
    return tconcat(out), n
  end

  PATTERNS = {
    find = function(s, pat, init, plain) return find_aux(true, s, pat, init, plain) end,
    match = function(s, pat, init) return find_aux(false, s, pat, init) end,
    gmatch = gmatch,
    gsub = gsub,
  }

  -- For the differential test: one call with the C matcher and with this one, each result as text.
  local function results(ok, ...)
    local out = { ok and "ok" or "error" }
    for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
    return tconcat(out, "\1")
  end
  local function call_all(fname, ...)
    if fname ~= "gmatch" then return PATTERNS[fname](...) end
    local out = {}
    for a, b in PATTERNS.gmatch(...) do out[#out + 1] = tostring(a) .. "," .. tostring(b) end
    return tconcat(out, ";")
  end
  PATTERNS_COMPARE = function(fname, ...)
    force_lua = false
    local native = results(pcall(call_all, fname, ...))
    force_lua = true
    local lua = results(pcall(call_all, fname, ...))
    force_lua = false
    return native, lua
  end
end
`;
