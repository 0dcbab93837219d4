import type { OutgoingHttpHeaders } from 'node:http';
import type { Route, Service } from '@gatehouse/protocol';
import type { PluginContext } from '../context';
import type { PrepareEnv } from '../types';

/** Request headers Kong replaces by `REDACTED` in every log entry. */
const REDACTED_REQUEST_HEADERS = ['authorization', 'proxy-authorization'];

/** One log entry as Kong's `kong.log.serialize()` builds it (the fields Gatehouse knows). */
export interface LogEntry {
  request: {
    uri: string;
    url: string;
    querystring: Record<string, string | boolean | (string | boolean)[]>;
    method: string;
    headers: Record<string, string | string[]>;
    size: number;
  };
  upstream_uri: string;
  upstream_status: string;
  response: { status: number; headers: Record<string, string | string[]>; size: number };
  latencies: { kong: number; proxy: number; request: number; receive: number };
  authenticated_entity?: { id: string; consumer_id: string };
  route?: Route;
  service?: Service;
  consumer?: { id: string; username: string | null; custom_id: string | null };
  client_ip: string;
  started_at: number;
  source: 'upstream' | 'kong';
  workspace_name: string;
}

/** Kong's `kong.request.get_query()`: a key without `=` is `true`, a repeated key a list. */
function queryTable(raw: string): LogEntry['request']['querystring'] {
  const out: LogEntry['request']['querystring'] = {};
  if (raw === '') return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value: string | boolean = eq < 0 ? true : decode(part.slice(eq + 1));
    const cur = out[key];
    if (cur === undefined) out[key] = value;
    else out[key] = Array.isArray(cur) ? [...cur, value] : [cur, value];
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

function headerTable(h: OutgoingHttpHeaders | NodeJS.Dict<string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of Object.keys(h)) {
    const v = h[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

function size(v: unknown): number {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

const round = (ms: number): number => Math.max(0, Math.round(ms));

/**
 * Builds Kong's log entry for a finished request (the log phase). Called
 * once per request by every log plugin that applies to it; the request's
 * start in wall-clock ms is derived from `performance.now()`.
 */
export function serializeRequest(ctx: PluginContext, entities: PrepareEnv['entities']): LogEntry {
  const now = performance.now();
  const total = now - ctx.startedAt;
  const proxy = ctx.upstreamLatencyMs !== null && ctx.upstreamLatencyMs >= 0 ? ctx.upstreamLatencyMs : -1;
  const requestHeaders = headerTable(ctx.headers);
  for (const name of REDACTED_REQUEST_HEADERS) if (requestHeaders[name] !== undefined) requestHeaders[name] = 'REDACTED';
  const hostHeader = ctx.header('host') ?? ctx.host;
  const port = /:(\d+)$/.exec(hostHeader)?.[1] ?? (ctx.scheme === 'https' ? '443' : '80');
  const upstreamQuery = ctx.upstreamQuery ?? ctx.requestQuery;
  const upstreamPath = ctx.upstreamPath ?? ctx.routedUpstreamPath ?? ctx.path;
  const proxied = ctx.exitResponse === null && proxy >= 0;
  const entry: LogEntry = {
    request: {
      uri: ctx.requestUri,
      url: `${ctx.scheme}://${ctx.host}:${port}${ctx.requestUri}`,
      querystring: queryTable(ctx.requestUri.includes('?') ? ctx.requestUri.slice(ctx.requestUri.indexOf('?') + 1) : ''),
      method: ctx.method,
      headers: requestHeaders,
      size: size(ctx.headers['content-length']),
    },
    upstream_uri: proxied ? (upstreamQuery === '' ? upstreamPath : `${upstreamPath}?${upstreamQuery}`) : '',
    upstream_status: proxied ? String(ctx.status) : '',
    response: { status: ctx.status, headers: headerTable(ctx.responseHeaders), size: size(ctx.responseHeaders['content-length']) },
    latencies: { kong: round(proxy >= 0 ? total - proxy : total), proxy: proxy >= 0 ? round(proxy) : -1, request: round(total), receive: 0 },
    client_ip: ctx.clientIp,
    started_at: Math.round(Date.now() - total),
    source: proxied ? 'upstream' : 'kong',
    workspace_name: 'default',
  };
  if (ctx.credential !== null) entry.authenticated_entity = { id: ctx.credential.id, consumer_id: ctx.credential.consumerId };
  const route = ctx.routeId === null ? undefined : entities.route(ctx.routeId);
  if (route !== undefined) entry.route = route;
  const service = ctx.serviceId === null ? undefined : entities.service(ctx.serviceId);
  if (service !== undefined) entry.service = service;
  if (ctx.consumer !== null) entry.consumer = { id: ctx.consumer.id, username: ctx.consumer.username, custom_id: ctx.consumer.custom_id };
  return entry;
}
