import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { RequestContext } from '../proxy/request-context';
import type { CompiledService } from '../engine/compiled';
import { classifyFailure, type UpstreamFailure } from './failure';

/** A request in flight upstream; `abort` stops it (and its retries) when the client goes away. */
export interface UpstreamHandle {
  abort(): void;
}

/** What the caller learns from `sendUpstream`: exactly one of these is called, once (none after `abort`). */
export interface UpstreamCallbacks {
  onResponse(res: http.IncomingMessage, upstreamReq: http.ClientRequest): void;
  onFailure(failure: UpstreamFailure, err: Error, tries: number): void;
}

/** Above this a streamed body is no longer kept for replay, and the request is not retried. */
const MAX_REPLAY_BYTES = 1024 * 1024;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

function timeoutError(code: string, message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = code;
  return err;
}

/**
 * Why plain `http.request` and not http-proxy(-3): measured on this machine
 * (ENVIRONMENT.md, and again while building this: wrk -c50 to the echo
 * upstream) a keep-alive `http.request` pipe beats http-proxy-3, and owning
 * the request lets retries replay the body, give each timeout its own answer
 * and skip http-proxy's per-request option merging.
 *
 * Sends the request upstream with the service's three timeouts and retries
 * (nginx semantics, as Kong): connect_timeout bounds connecting, write_timeout
 * is the longest pause while sending, read_timeout the longest pause while
 * waiting for or reading the response. Connection failures (refused, connect
 * timeout, a reset on a reused keep-alive socket) are retried up to
 * `retries` times; a reset after the request was sent is retried only for
 * idempotent methods; write/read timeouts are not retried, so a slow
 * upstream is not hit twice. The client body streams through and is kept
 * (up to 1 MiB) for replay.
 */
export function sendUpstream(ctx: RequestContext, service: CompiledService, cb: UpstreamCallbacks): UpstreamHandle {
  const req = ctx.req;
  const method = ctx.upstreamMethod;
  const target = ctx.upstreamQuery === null ? ctx.upstreamPath : `${ctx.upstreamPath}?${ctx.upstreamQuery}`;
  const transport = service.scheme === 'https' ? https : http;
  const maxTries = 1 + service.retries;
  const hasStreamingBody = ctx.upstreamBody === null && ctx.hasBody;
  const sendsBody = hasStreamingBody || ctx.upstreamBody !== null;

  let tries = 0;
  let done = false;
  let current: http.ClientRequest | null = null;
  const replay: Buffer[] = [];
  let replayBytes = 0;
  let replayable = true;
  let bodyEnded = !hasStreamingBody;

  if (hasStreamingBody) {
    // One listener forwards the client body to whichever attempt is current, keeping a copy for a retry.
    req.on('data', (chunk: Buffer) => {
      if (replayable) {
        replayBytes += chunk.length;
        if (replayBytes > MAX_REPLAY_BYTES) {
          replayable = false;
          replay.length = 0;
        } else {
          replay.push(chunk);
        }
      }
      if (current && !current.destroyed && !current.write(chunk)) {
        req.pause();
        current.once('drain', () => req.resume());
      }
    });
    req.once('end', () => {
      bodyEnded = true;
      if (current && !current.destroyed) current.end();
    });
  }

  const attempt = (): void => {
    tries++;
    let phase: 'connect' | 'write' | 'read' = 'connect';
    const upstream = transport.request({
      agent: service.agent,
      host: service.host,
      port: service.port,
      method,
      path: target,
      headers: ctx.upstreamHeaders,
      servername: service.tlsServerName,
    });
    current = upstream;
    const sentAt = performance.now();
    if (ctx.proxyLatency < 0) ctx.proxyLatency = Math.round(sentAt - ctx.startedAt);

    upstream.setTimeout(service.connectTimeout);
    upstream.on('timeout', () => {
      const code = phase === 'connect' ? 'GATEHOUSE_CONNECT_TIMEOUT' : phase === 'write' ? 'GATEHOUSE_WRITE_TIMEOUT' : 'GATEHOUSE_READ_TIMEOUT';
      upstream.destroy(timeoutError(code, `upstream ${phase} timeout`));
    });
    upstream.once('socket', (socket: Socket) => {
      const connected = (): void => {
        // A request without a body is a few header bytes: only the read timeout matters from here.
        phase = upstream.writableFinished || !sendsBody ? 'read' : 'write';
        upstream.setTimeout(phase === 'read' ? service.readTimeout : service.writeTimeout);
      };
      if (socket.connecting) socket.once(service.scheme === 'https' ? 'secureConnect' : 'connect', connected);
      else connected();
    });
    upstream.once('finish', () => {
      if (phase === 'write') {
        phase = 'read';
        upstream.setTimeout(service.readTimeout);
      }
    });
    upstream.once('response', (res) => {
      if (done) return;
      done = true;
      ctx.upstreamLatency = Math.round(performance.now() - sentAt);
      cb.onResponse(res, upstream);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (done) return;
      const failure = classifyFailure(err);
      // A reset on a reused keep-alive socket means the upstream closed it while idle: nothing was processed.
      const staleSocket = failure === 'reset' && upstream.reusedSocket;
      let retryable = failure === 'refused' || failure === 'connect_timeout' || staleSocket || (failure === 'reset' && IDEMPOTENT.has(method));
      if (hasStreamingBody && !replayable) retryable = false;
      if (retryable && tries < maxTries && !req.destroyed) {
        attempt();
        return;
      }
      done = true;
      cb.onFailure(failure, err, tries);
    });

    if (ctx.upstreamBody !== null) {
      ctx.upstreamBody.then((body) => upstream.end(body), (err: Error) => upstream.destroy(err));
    } else if (hasStreamingBody) {
      for (const chunk of replay) upstream.write(chunk);
      if (bodyEnded) upstream.end();
      // A pause for the previous attempt's back-pressure must not outlive it.
      else if (req.isPaused()) req.resume();
    } else {
      upstream.end();
    }
  };

  attempt();
  return {
    abort(): void {
      done = true;
      if (current && !current.destroyed) current.destroy();
    },
  };
}
