import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Http2ServerRequest } from 'node:http2';

/** True for a request that arrived over HTTP/2 (Node's compatibility API), as opposed to an HTTP/1.x request line claiming version 2. */
export function isHttp2Request(req: IncomingMessage): boolean {
  return (req as unknown) instanceof Http2ServerRequest;
}

/** Whether an HTTP/2 request has a body: its HEADERS frame did not end the stream. False for any HTTP/1.x request. */
export function http2HasBody(req: IncomingMessage): boolean {
  const stream = (req as { stream?: { endAfterHeaders: boolean } }).stream;
  return stream !== undefined && !stream.endAfterHeaders;
}

/**
 * Gives an HTTP/2 request the header view the proxy, the router and the
 * plugins read on HTTP/1.1, as nginx does for Kong: `:authority` becomes
 * `Host` (RFC 9113 §8.3.1: it wins over a `Host` field), the other
 * pseudo-headers (`:method`, `:path`, `:scheme`) are no headers (the method
 * and URL stay readable as `req.method` and `req.url`), and cookie crumbs,
 * which HTTP/2 lets a client send as several fields, are one `Cookie` line
 * joined with `; ` (§8.2.3, what an HTTP/1.1 upstream expects). Node's own
 * `headers`/`rawHeaders` getters are shadowed, not changed: the
 * compatibility layer reads the method and path from the original object.
 * `headersDistinct` (header conditions in routes) is built on first read,
 * as Node does for HTTP/1.1.
 */
export function adaptHttp2Request(req: IncomingMessage): void {
  const original = req.headers;
  const headers: IncomingHttpHeaders = {};
  const raw: string[] = [];
  const authority = original[':authority'];
  const hasAuthority = typeof authority === 'string' && authority !== '';
  if (hasAuthority) {
    headers.host = authority;
    raw.push('host', authority);
  }
  const lines = req.rawHeaders;
  let cookie: string | null = null;
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i] ?? '';
    const value = lines[i + 1] ?? '';
    if (name.startsWith(':') || (name === 'host' && hasAuthority)) continue;
    if (name === 'cookie') {
      cookie = cookie === null ? value : `${cookie}; ${value}`;
      continue;
    }
    raw.push(name, value);
  }
  if (cookie !== null) raw.push('cookie', cookie);
  for (const name in original) {
    if (name.startsWith(':') || (name === 'host' && hasAuthority)) continue;
    headers[name] = original[name];
  }
  if (cookie !== null) headers.cookie = cookie;
  let distinct: Record<string, string[]> | null = null;
  Object.defineProperties(req, {
    headers: { value: headers, writable: true, configurable: true, enumerable: true },
    rawHeaders: { value: raw, writable: true, configurable: true, enumerable: true },
    headersDistinct: {
      configurable: true,
      get: () => {
        if (distinct !== null) return distinct;
        distinct = {};
        for (let i = 0; i + 1 < raw.length; i += 2) (distinct[raw[i] ?? ''] ??= []).push(raw[i + 1] ?? '');
        return distinct;
      },
    },
  });
}

/**
 * Headers HTTP/2 forbids in a response (RFC 9113 §8.2.2: connection-specific
 * fields): what the gateway itself says on HTTP/1.1 (`Connection: close`,
 * the 426's `Upgrade`) or a plugin set. Node's compatibility layer would
 * drop them too, with a warning each time.
 */
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/** Removes the connection-specific headers from a response head about to go out over HTTP/2. Mutates `headers`. */
export function dropConnectionHeaders(headers: OutgoingHttpHeaders): void {
  for (const name of CONNECTION_SPECIFIC) if (headers[name] !== undefined) delete headers[name];
}
