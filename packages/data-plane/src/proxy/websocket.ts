import http, { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { classifyFailure, failureStatus, timeoutError } from '../upstream/failure';
import { serverName } from '../upstream/pools';
import { PLAIN_TLS } from '../upstream/tls-options';
import { escapePath } from '../router/request-path';
import { addProducedHeaders, addProxiedHeaders } from './gateway-headers';
import { headersFromLines, keepRepeatedLines } from './header-lines';
import { ANSWERS, answerBody } from './answers';
import { createContext, FAILURE_ANSWERS, type ProxyDeps } from './handler';
import { checkRequestLine } from './request-line';
import type { RequestContext } from './request-context';
import { applyPluginDecisions, resolveRequest, type ListenerInfo } from './resolve';
import { finishRequest } from './respond';
import type { Peer } from '../balancer/service-balancer';

function headerLines(headers: OutgoingHttpHeaders): string {
  let out = '';
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out += `${name}: ${String(v)}\r\n`;
  }
  return out;
}

/** Writes a whole HTTP response on a raw socket (no ServerResponse exists for upgrade requests) and closes it. */
function writeRaw(socket: Duplex, ctx: RequestContext, status: number, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  ctx.status = status;
  const all: OutgoingHttpHeaders = { ...headers, 'content-length': Buffer.byteLength(body), connection: 'close' };
  addProducedHeaders(ctx, all);
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headerLines(all)}\r\n`);
  socket.end(body);
}

function writeAnswer(socket: Duplex, ctx: RequestContext, answer: { status: number; message: string }, extra: Record<string, string> = {}): void {
  writeRaw(socket, ctx, answer.status, answerBody(answer.message, ctx.requestId), { 'content-type': 'application/json; charset=utf-8', ...extra });
}

/**
 * WebSocket proxying (the server's `upgrade` event): the handshake is routed
 * and goes through the plugins' access phase like any request; the
 * upstream's 101 is relayed, then bytes flow both ways until either side
 * closes or the service's read_timeout passes with no traffic. An upstream
 * that declines the upgrade has its answer relayed as is. A connection that
 * fails before any answer is retried (on another target when balanced).
 */
export function createUpgradeHandler(deps: ProxyDeps, listener: ListenerInfo): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const refusal = checkRequestLine(req);
    const ctx = createContext(req, listener, deps.headers);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => finishRequest(deps, ctx, null));
    if (refusal !== null) return writeAnswer(socket, ctx, refusal, { connection: 'close' });

    const resolution = resolveRequest(deps.engine.compiled, ctx, listener);
    if (resolution.kind === 'answer') return writeAnswer(socket, ctx, resolution.answer, resolution.headers);
    if (resolution.kind === 'redirect') return writeRaw(socket, ctx, resolution.status, '', { location: resolution.location });
    const service = resolution.service;

    const connect = (): void => {
      const exit = ctx.plugins?.exitResponse;
      if (exit) return writeRaw(socket, ctx, exit.status, exit.body, ctx.plugins?.responseHeaders ?? {});
      applyPluginDecisions(ctx);
      const transport = service.scheme === 'https' ? https : http;
      const sentAt = performance.now();
      ctx.proxyLatency = Math.round(sentAt - ctx.startedAt);
      const path = escapePath(ctx.upstreamPath);
      const target = ctx.upstreamQuery === null ? path : `${path}?${ctx.upstreamQuery}`;

      /**
       * One try of the upgrade. A service balanced over an upstream sends it
       * to one of its targets (balancer/), chosen as for HTTP, avoiding the
       * last one tried; passive health checks count a failed connection as
       * they do for HTTP, and the response status. A try that failed before
       * any answer (refused, reset, connect timeout) is retried like an
       * idempotent request, up to the service's `retries`.
       */
      const attempt = (previous: Peer | null, tries: number): void => {
        const peer = service.balancer?.pick(ctx, previous) ?? null;
        if (service.balancer !== null && peer === null) return writeAnswer(socket, ctx, ANSWERS.noPeer);
        if (peer !== null && ctx.route?.preserveHost !== true) ctx.upstreamHeaders.host = peer.hostHeader;
        const triedAt = performance.now();
        let released = false;
        const release = (ms: number | null): void => {
          if (released) return;
          released = true;
          if (peer !== null) service.balancer?.finished(peer, ms);
        };
        // A fresh connection: an upgraded socket is handed over for good and never returns to a keep-alive pool.
        // SNI as for HTTP requests (send.ts): the name of the Host header sent upstream, none for an IP literal.
        const host = ctx.upstreamHeaders.host;
        const servername = service.scheme === 'https' ? (serverName(typeof host === 'string' ? host : service.host) ?? '') : undefined;
        const upstream = transport.request({
          host: peer?.poolTarget.host ?? service.host,
          port: peer?.poolTarget.port ?? service.port,
          method: ctx.upstreamMethod,
          path: target,
          headers: ctx.repeatsHeaderLines ? keepRepeatedLines(ctx.upstreamHeaders, req) : ctx.upstreamHeaders,
          agent: false,
          // The service's upstream TLS settings (tls_verify, its CA certificates, a client certificate), else none verified.
          ...(service.scheme === 'https' ? (service.upstreamTls?.connect ?? PLAIN_TLS) : {}),
          servername,
        });
        let answered = false;
        upstream.setTimeout(service.connectTimeout, () => upstream.destroy(timeoutError('GATEHOUSE_CONNECT_TIMEOUT', 'upstream connect timeout')));
        upstream.once('error', (err: NodeJS.ErrnoException) => {
          release(null);
          if (answered) return;
          const failure = classifyFailure(err);
          if (peer !== null) service.balancer?.reportFailure(peer, failure);
          const retryable = failure === 'refused' || failure === 'connect_timeout' || failure === 'reset' || failure === 'tls';
          if (retryable && tries <= service.retries && socket.writable) return attempt(peer, tries + 1);
          deps.log.warn({ event: 'upstream_failed', request_id: ctx.requestId, service: service.id, websocket: true, failure, tries, error: err.message });
          if (socket.writable) writeAnswer(socket, ctx, FAILURE_ANSWERS[failureStatus(failure)]);
        });
        upstream.once('response', (res) => {
          answered = true;
          ctx.upstreamLatency = Math.round(performance.now() - triedAt);
          release(ctx.upstreamLatency);
          ctx.status = res.statusCode ?? 502;
          if (peer !== null) service.balancer?.reportStatus(peer, ctx.status);
          const headers = headersFromLines(res.rawHeaders);
          headers.connection = 'close';
          delete headers['transfer-encoding'];
          addProxiedHeaders(ctx, headers);
          socket.write(`HTTP/1.1 ${ctx.status} ${res.statusMessage ?? ''}\r\n${headerLines(headers)}\r\n`);
          res.pipe(socket);
        });
        upstream.once('upgrade', (res, upSocket, upHead) => {
          answered = true;
          upstream.setTimeout(0);
          ctx.upstreamLatency = Math.round(performance.now() - triedAt);
          release(ctx.upstreamLatency);
          ctx.status = 101;
          if (peer !== null) service.balancer?.reportStatus(peer, 101);
          const headers = headersFromLines(res.rawHeaders);
          addProxiedHeaders(ctx, headers);
          socket.write(`HTTP/1.1 101 ${res.statusMessage ?? 'Switching Protocols'}\r\n${headerLines(headers)}\r\n`);
          if (upHead.length > 0) socket.write(upHead);
          if (head.length > 0) upSocket.write(head);
          upSocket.setTimeout(service.readTimeout, () => upSocket.destroy());
          upSocket.on('error', () => socket.destroy());
          upSocket.once('close', () => socket.destroy());
          socket.once('close', () => upSocket.destroy());
          upSocket.pipe(socket);
          socket.pipe(upSocket);
        });
        upstream.end();
      };
      attempt(null, 1);
    };

    const plugins = ctx.plugins;
    if (plugins === null) return connect();
    const pending = resolution.route.chain.access(plugins);
    if (pending === undefined) connect();
    else pending.then(connect, () => writeAnswer(socket, ctx, ANSWERS.internalError));
  };
}
