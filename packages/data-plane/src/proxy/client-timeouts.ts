import type http from 'node:http';
import type { EventEmitter } from 'node:events';
import { constants, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { http2HasBody, isHttp2Request } from './http2-request';

/**
 * How long the proxy waits on a slow client: nginx's (and so Kong's)
 * `client_header_timeout` (the whole header block) and `client_body_timeout`
 * (the longest pause between two reads of the body), 60 s each by default.
 * Without them a client that dribbles bytes (slowloris) holds a connection,
 * and on routes whose plugins read the body, a request, forever.
 */
export interface ClientTimeouts {
  headerMs: number;
  bodyMs: number;
}

export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = { headerMs: 60_000, bodyMs: 60_000 };

// What nginx sends on client_body_timeout; Node sends the same bytes itself for a header timeout.
const REQUEST_TIMEOUT_RESPONSE = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Options for `http(s).createServer`: Node checks header deadlines on a
 * timer, so it must tick well within the header timeout for the timeout to
 * hold (a quarter of it, between 250 ms and Node's default 30 s).
 */
export function clientTimeoutServerOptions(t: ClientTimeouts): { connectionsCheckingInterval: number } {
  return { connectionsCheckingInterval: Math.max(250, Math.min(30_000, Math.floor(t.headerMs / 4))) };
}

/**
 * client_body_timeout for one HTTP/2 request: the stream (not the shared
 * connection) silent for `ms` while its body arrives is answered 408 when
 * nothing was answered yet, then reset; the connection's other streams go on.
 */
function guardHttp2Body(req: http.IncomingMessage, res: http.ServerResponse, ms: number): void {
  const stream = (req as unknown as { stream: ServerHttp2Stream }).stream;
  const onTimeout = (): void => {
    if (!res.headersSent) {
      res.writeHead(408, { 'content-length': 0 });
      res.end();
    }
    stream.close(constants.NGHTTP2_CANCEL);
  };
  stream.setTimeout(ms, onTimeout);
  const disarm = (): void => {
    stream.setTimeout(0);
    stream.removeListener('timeout', onTimeout);
  };
  req.once('end', disarm);
  req.once('close', disarm);
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Sets the header timeout on `server` and guards every request body: while
 * it is being received, a socket silent for `bodyMs` is answered 408 (when
 * nothing was answered yet) and closed. Closing it ends the request, so the
 * proxy aborts its upstream request and the log phase still runs.
 * Keep-alive idling is not affected (Node applies the header timeout only
 * once a request has begun).
 */
export function applyClientTimeouts(server: HttpTimeouts & EventEmitter, t: ClientTimeouts): void {
  server.headersTimeout = t.headerMs;
  // No overall request deadline: long uploads and slow upstreams are governed by the pause-based timeouts.
  server.requestTimeout = 0;
  guardRequestBodies(server, t.bodyMs);
}

/** The HTTP/1.1 deadlines Node's servers have (an HTTP/2 secure server too, for its HTTP/1.1 connections). */
export interface HttpTimeouts {
  headersTimeout: number;
  requestTimeout: number;
}

/**
 * client_body_timeout on every request `server` emits, HTTP/1.1 (the
 * socket) or HTTP/2 (the stream): see applyClientTimeouts.
 */
export function guardRequestBodies(server: EventEmitter, bodyMs: number): void {
  const t = { bodyMs };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.httpVersionMajor === 2 && isHttp2Request(req)) {
      if (http2HasBody(req)) guardHttp2Body(req, res, t.bodyMs);
      return;
    }
    if (!hasBody(req)) return;
    const socket: Socket = req.socket;
    const onTimeout = (): void => {
      if (res.headersSent) socket.destroy();
      else socket.write(REQUEST_TIMEOUT_RESPONSE, () => socket.destroy());
    };
    // Keep-alive sockets carry many requests: each one's listener must go when its body is in.
    const disarm = (): void => {
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
    };
    // The socket timer counts any read or write; Node refreshes it as the HTTP parser consumes bytes.
    socket.setTimeout(t.bodyMs);
    socket.on('timeout', onTimeout);
    req.once('end', disarm);
    req.once('close', disarm);
  });
}
