import { escapePath } from '../router/request-path';
import { SERVER_TOKEN } from '../version';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1 plus the legacy ones nginx drops): never forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

const NONE: readonly string[] = [];

/** The header names a `Connection` value lists (lower case); none for the common `keep-alive` / `close`. */
function connectionNamed(connection: OutgoingHttpHeaders[string]): readonly string[] {
  if (typeof connection !== 'string' || connection === 'keep-alive' || connection === 'close') return NONE;
  return connection
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

const HOP_BY_HOP_SET: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'proxy-authenticate']);

/**
 * The upstream's response headers as the client gets them: a new object
 * without hop-by-hop headers (those the `Connection` header names included)
 * and `Proxy-Authenticate`. Copied rather than deleted from: `delete` turns
 * the object into a slow dictionary that Node's header writing then walks.
 */
export function forwardedResponseHeaders(headers: Readonly<Record<string, string | string[]>>): OutgoingHttpHeaders {
  const named = connectionNamed(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP_SET.has(name) || named.includes(name)) continue;
    out[name] = headers[name];
  }
  return out;
}

/** True when a `TE` value asks for trailers (Kong: the whole value, or one of its comma-separated entries, case-insensitive). */
function asksForTrailers(te: OutgoingHttpHeaders[string]): boolean {
  if (te === undefined) return false;
  const value = (Array.isArray(te) ? te.join(',') : String(te)).toLowerCase();
  if (value === 'trailers') return true;
  return value.split(',').some((t) => t.trim() === 'trailers');
}

/**
 * Removes hop-by-hop headers and those the `Connection` header names; a
 * client's `TE` that asks for trailers goes on as `TE: trailers` (Kong's
 * runloop: the one transfer coding a proxy can pass on), any other `TE` is
 * dropped. Mutates `headers`.
 */
export function stripHopByHop(headers: IncomingHttpHeaders | OutgoingHttpHeaders): void {
  const te = headers.te;
  for (const name of connectionNamed(headers.connection)) delete headers[name];
  for (const name of HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
  if (asksForTrailers(te)) headers.te = 'trailers';
}

/**
 * A copy of the client's headers that the proxy and plugins may add to and
 * delete from. Deliberately a plain loop, not `{ ...headers }`: V8 gives a
 * spread copy a map that every later property addition leaves on a slow path
 * (measured: ~6 µs per request for the dozen headers the proxy and key-auth
 * add, against ~0.1 µs for this copy).
 */
export function copyHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) out[name] = headers[name];
  return out;
}

/** True for a WebSocket handshake (`Upgrade: websocket`). */
export function isWebSocketUpgrade(headers: IncomingHttpHeaders): boolean {
  const upgrade = headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}

/** What Kong puts in X-Forwarded-*, X-Real-IP and Via, computed from the client connection. */
export interface ForwardedInfo {
  clientIp: string;
  scheme: 'http' | 'https';
  /** Host header without port (nginx's $host). */
  host: string;
  /** The port the client connected to (nginx's $server_port). */
  port: number;
  /** The request path as the client sent it, without the query (X-Forwarded-Path). */
  path: string;
  /** The part of the path strip_path removed, or '' (X-Forwarded-Prefix, not sent for '' and '/'). */
  prefix: string;
  /** The client's HTTP version (`req.httpVersion`), for Via. */
  httpVersion: string;
  requestId: string;
  /** The header the request id goes upstream in (GATEHOUSE_HEADERS_UPSTREAM), or null. */
  requestIdHeader: string | null;
}

/** This proxy's entry in `Via`, toward the client (Kong's `proxy_http_version` 1.1). */
export const VIA = `1.1 ${SERVER_TOKEN}`;
/**
 * This proxy's entry in the `Via` sent upstream: the client's HTTP version,
 * written as Kong writes the number (`1.1`, and `1` for HTTP/1.0).
 */
const INBOUND_VIA_11 = VIA;
const INBOUND_VIA_10 = `1 ${SERVER_TOKEN}`;
const INBOUND_VIA_2 = `2 ${SERVER_TOKEN}`;

/** This proxy's entry in the upstream `Via` for a client HTTP version (`req.httpVersion`): `1.1`, `1` for 1.0, `2` for HTTP/2, as Kong writes them. */
function inboundVia(httpVersion: string): string {
  if (httpVersion === '1.1') return INBOUND_VIA_11;
  return httpVersion === '1.0' ? INBOUND_VIA_10 : httpVersion === '2.0' ? INBOUND_VIA_2 : INBOUND_VIA_11;
}

/** True when `value` holds a character no header value may (a control character other than tab). */
function unfitForHeader(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Sets Kong's forwarding headers on the upstream request. No client is a
 * trusted proxy (Kong's default `trusted_ips` is empty), so the client's own
 * X-Forwarded-Proto/Host/Port/Path/Prefix are replaced, and X-Forwarded-For
 * and Via get this hop appended. The prefix is sent as Kong sends it (decoded
 * by normalization), escaped only where a header could not carry it.
 */
export function setForwardedHeaders(headers: OutgoingHttpHeaders, f: ForwardedInfo): void {
  const xff = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = xff === undefined ? f.clientIp : `${Array.isArray(xff) ? xff.join(', ') : String(xff)}, ${f.clientIp}`;
  headers['x-real-ip'] = f.clientIp;
  headers['x-forwarded-proto'] = f.scheme;
  headers['x-forwarded-host'] = f.host;
  headers['x-forwarded-port'] = String(f.port);
  headers['x-forwarded-path'] = f.path;
  if (f.prefix !== '' && f.prefix !== '/') headers['x-forwarded-prefix'] = unfitForHeader(f.prefix) ? escapePath(f.prefix) : f.prefix;
  else if (headers['x-forwarded-prefix'] !== undefined) delete headers['x-forwarded-prefix'];
  headers.via = appendVia(headers.via, inboundVia(f.httpVersion));
  if (f.requestIdHeader !== null) headers[f.requestIdHeader] = f.requestId;
}

/** Appends this proxy to a `Via` header value (RFC 9110 §7.6.3): the lines received joined with `, `, then this hop. */
export function appendVia(existing: OutgoingHttpHeaders[string], token: string): string {
  if (existing === undefined) return token;
  return `${Array.isArray(existing) ? existing.join(', ') : String(existing)}, ${token}`;
}
