import type { OutgoingHttpHeaders } from 'node:http';
import type { Logger } from '../logging';
import type { PluginContext } from '../plugins/context';
import { JSON_CONTENT_TYPE } from '../plugins/responses';
import { reAll } from './ngx-re';
import { NGX_CONSTANTS, NGX_HTTP_STATUS } from './surface';

/** The phases Lua runs in on the DP (Kong's names). */
export type LuaPhase = 'access' | 'header_filter' | 'log';

/** What host functions act on during one call into Lua: set by the VM around each call, null between calls. */
export interface LuaCall {
  ctx: PluginContext;
  phase: LuaPhase;
  log: Logger;
  /** The plugin and field the code came from (`post-function`, `config.access[0]`), for log lines. */
  plugin: string;
  field: string;
}

/** Regex captures of the matched route (`uri_captures`): every group by number, named groups by name. */
export interface UriCaptures {
  all: (string | false)[];
  names: Record<string, string | false>;
}

/** The VM's budget state, read by `H.over()` (pcall and coroutine.resume must not catch a spent budget). */
export interface BudgetFlag {
  over: boolean;
}

type Value = string | number | boolean | undefined | Value[] | { [k: string]: Value };

const first = (v: string | string[] | number | undefined): string | undefined => (Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v));

/** Header values for Lua: repeated headers as arrays, numbers as strings (no null ever reaches wasmoon). */
function headersForLua(h: OutgoingHttpHeaders | NodeJS.Dict<string | string[]>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const k of Object.keys(h)) {
    const v = h[k];
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

/** Kong's `get_query`: a name without `=` is `true`, repeated names are arrays. */
function queryForLua(raw: string): Record<string, Value> {
  const out: Record<string, Value> = {};
  if (raw === '') return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value: string | true = eq < 0 ? true : decode(part.slice(eq + 1));
    const cur = out[name];
    if (cur === undefined) out[name] = value;
    else if (Array.isArray(cur)) cur.push(value);
    else out[name] = [cur, value];
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `ngx.var.<name>` as the DP answers it. */
function ngxVar(ctx: PluginContext, name: string): string | undefined {
  const query = ctx.requestQuery;
  switch (name) {
    case 'request_uri':
      return query === '' ? ctx.path : `${ctx.path}?${query}`;
    case 'uri':
      return ctx.path;
    case 'host':
      return ctx.host;
    case 'remote_addr':
      return ctx.clientIp;
    case 'scheme':
      return ctx.scheme;
    case 'request_method':
      return ctx.method;
    case 'args':
    case 'query_string':
      return query === '' ? undefined : query;
    case 'is_args':
      return query === '' ? '' : '?';
    case 'request_id':
      return first(ctx.upstreamHeaders['x-gatehouse-request-id']);
    case 'upstream_uri':
      return ctx.upstreamPath ?? ctx.path;
    default:
  }
  if (name.startsWith('http_')) return requestHeader(ctx, name.slice(5).replace(/_/g, '-').toLowerCase());
  if (name.startsWith('cookie_')) return cookie(ctx.header('cookie'), name.slice(7));
  if (name.startsWith('arg_')) {
    const v = queryForLua(query)[name.slice(4)];
    return Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/**
 * The request as Kong's `kong.request` sees it in OpenResty: the client's
 * headers with what earlier plugins set for the upstream (kong.service.request
 * edits the same request), and the client's Host.
 */
function requestHeader(ctx: PluginContext, name: string): string | undefined {
  if (name === 'host') return ctx.header('host');
  return first(ctx.upstreamHeaders[name]);
}

function requestHeaders(ctx: PluginContext): Record<string, Value> {
  const out = headersForLua(ctx.upstreamHeaders);
  const host = ctx.header('host');
  if (host !== undefined) out.host = host;
  return out;
}

function appendHeader(h: OutgoingHttpHeaders, name: string, value: string): void {
  const cur = h[name];
  if (cur === undefined) h[name] = value;
  else h[name] = [...(Array.isArray(cur) ? cur : [String(cur)]), value];
}

const LOG_METHODS: Record<string, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  err: 'error',
  crit: 'error',
  alert: 'error',
  emerg: 'error',
};

/**
 * The host bridge the prelude receives as `H`: plain functions over the
 * current call (`call()`), taking and answering only strings, numbers,
 * booleans, arrays and plain objects without null — never a JS object Lua
 * could reach through. None throws: errors go back to Lua as values, and the
 * prelude raises them where Kong would.
 */
export function hostFunctions(
  call: () => LuaCall | null,
  budget: BudgetFlag,
  uriCaptures: (ctx: PluginContext) => UriCaptures | null,
  /** Several values back to Lua (wasmoon's LuaMultiReturn of the loaded module). */
  multi: (values: unknown[]) => unknown,
): Record<string, unknown> {
  const withCtx =
    <A extends unknown[], R>(fn: (c: LuaCall, ...args: A) => R) =>
    (...args: A): R | undefined => {
      const c = call();
      return c === null ? undefined : fn(c, ...args);
    };
  return {
    over: () => budget.over,
    constants: () => ({ ...NGX_HTTP_STATUS, ...NGX_CONSTANTS }),
    now: () => Date.now() / 1000,
    req_header: withCtx((c, name: string) => requestHeader(c.ctx, name)),
    req_headers: withCtx((c) => requestHeaders(c.ctx)),
    req_path: withCtx((c) => c.ctx.path),
    req_raw_query: withCtx((c) => c.ctx.requestQuery),
    req_method: withCtx((c) => c.ctx.method),
    req_query: withCtx((c) => queryForLua(c.ctx.requestQuery)),
    req_scheme: withCtx((c) => c.ctx.scheme),
    req_host: withCtx((c) => c.ctx.host),
    req_port: withCtx((c) => {
      const h = c.ctx.header('host') ?? '';
      const m = /:(\d+)$/.exec(h);
      return m ? Number(m[1]) : c.ctx.scheme === 'https' ? 443 : 80;
    }),
    svc_set_header: withCtx((c, name: string, value: unknown) => {
      c.ctx.upstreamHeaders[name.toLowerCase()] = String(value);
    }),
    svc_add_header: withCtx((c, name: string, value: unknown) => appendHeader(c.ctx.upstreamHeaders, name.toLowerCase(), String(value))),
    svc_clear_header: withCtx((c, name: string) => {
      delete c.ctx.upstreamHeaders[name.toLowerCase()];
    }),
    svc_set_path: withCtx((c, path: string) => {
      c.ctx.upstreamPath = path;
    }),
    svc_set_raw_query: withCtx((c, q: string) => {
      // Sent as given (URLSearchParams would re-encode it). Lua reads the query through `requestQuery`, never a cached parse.
      c.ctx.upstreamQuery = q;
    }),
    svc_set_method: withCtx((c, m: string) => {
      c.ctx.upstreamMethod = m.toUpperCase();
    }),
    phase_error: withCtx((c, what: string) => {
      if (what === 'exit' && c.phase !== 'access') return `function cannot be called in ${c.phase} phase (only in: rewrite, access)`;
      if (what === 'service' && c.phase !== 'access') return `function cannot be called in ${c.phase} phase (only in: rewrite, access)`;
      if (what === 'header' && c.phase === 'log') return 'function cannot be called in log phase (only in: rewrite, access, header_filter)';
      return undefined;
    }),
    exit_header: withCtx((c, name: string, value: string, replace: boolean) => {
      if (replace) c.ctx.responseHeaders[name.toLowerCase()] = value;
      else appendHeader(c.ctx.responseHeaders, name.toLowerCase(), value);
    }),
    resp_exit: withCtx((c, status: number, body: unknown, json: boolean) => {
      if (json) c.ctx.responseHeaders['content-type'] ??= JSON_CONTENT_TYPE;
      c.ctx.exit(status, typeof body === 'string' ? body : undefined);
    }),
    resp_error: withCtx((c, status: number, message: unknown) => {
      c.ctx.error(status, typeof message === 'string' ? message : undefined);
    }),
    ngx_exit: withCtx((c, status: number) => {
      if (status >= 400) c.ctx.error(status);
      else c.ctx.exit(status);
    }),
    resp_set_header: withCtx((c, name: string, value: string | null | undefined) => {
      const key = name.toLowerCase();
      if (value === null || value === undefined) delete c.ctx.responseHeaders[key];
      else c.ctx.responseHeaders[key] = value;
    }),
    resp_add_header: withCtx((c, name: string, value: unknown) => appendHeader(c.ctx.responseHeaders, name.toLowerCase(), String(value))),
    resp_status: withCtx((c) => (c.ctx.status === 0 ? undefined : c.ctx.status)),
    resp_header: withCtx((c, name: string) => first(c.ctx.responseHeaders[name])),
    resp_headers: withCtx((c) => headersForLua(c.ctx.responseHeaders)),
    log: withCtx((c, level: string, message: string) => {
      c.log[LOG_METHODS[level] ?? 'info']({ event: 'lua_log', plugin: c.plugin, field: c.field, phase: c.phase, lua_level: level, message }, message);
    }),
    client_ip: withCtx((c) => c.ctx.clientIp),
    consumer: withCtx((c) => {
      const k = c.ctx.consumer;
      if (k === null) return undefined;
      const out: Record<string, string> = { id: k.id };
      if (k.username !== null) out.username = k.username;
      if (k.custom_id !== null) out.custom_id = k.custom_id;
      return out;
    }),
    var: withCtx((c, name: string) => ngxVar(c.ctx, name)),
    var_set: withCtx((c, name: string, value: string) => {
      if (name === 'upstream_uri') {
        const q = value.indexOf('?');
        c.ctx.upstreamPath = q < 0 ? value : value.slice(0, q);
        if (q >= 0) c.ctx.upstreamQuery = value.slice(q + 1);
      }
    }),
    uri_captures: withCtx((c) => uriCaptures(c.ctx) ?? undefined),
    re_all: (subject: unknown, regex: unknown, options: unknown, limit: unknown) => {
      const found = reAll(String(subject), String(regex), typeof options === 'string' ? options : '', typeof limit === 'number' ? limit : 0);
      return typeof found === 'string' ? multi([undefined, found]) : found;
    },
  };
}
