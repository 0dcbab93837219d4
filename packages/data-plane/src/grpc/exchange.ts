import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { asError } from '@gatehouse/protocol';
import type { Peer } from '../balancer/service-balancer';
import type { CompiledService } from '../engine/compiled';
import { addProxiedHeaders } from '../proxy/gateway-headers';
import { forwardedResponseHeaders } from '../proxy/headers';
import { dropConnectionHeaders } from '../proxy/http2-request';
import type { RequestContext } from '../proxy/request-context';
import { escapePath } from '../router/request-path';
import { classifyFailure, timeoutError, type UpstreamFailure } from '../upstream/failure';
import { serverName, type PoolTarget } from '../upstream/pools';
import type { UpstreamHandle } from '../upstream/send';
import { GRPC_ANSWERS, grpcMessageOf, sendGrpcAnswer } from './answer';
import { GRPC_STATUS, encodeGrpcMessage, formatGrpcTimeout, parseGrpcTimeout } from './status';

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_INTERNAL_ERROR, HTTP2_HEADER_STATUS } = http2.constants;

/** The longest delay a Node timer takes (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** Called once when a call failed before the upstream's response head (the proxy answers Kong's 502/503/504). */
export type GrpcFailure = (failure: UpstreamFailure, err: Error, tries: number) => void;

/** The HTTP/2 response the client has: Node's compatibility object, whose `stream` is the client's stream. */
type ClientResponse = ServerResponse & { stream?: { close(code?: number): void; destroyed: boolean } };

/** An HTTP/2 upstream's response head or trailers as the client gets them: no pseudo-headers, no hop-by-hop headers. */
function relayedHeaders(headers: IncomingHttpHeaders & IncomingHttpStatusHeader): OutgoingHttpHeaders {
  const plain: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 /* : */) continue;
    const value = headers[name];
    if (value !== undefined) plain[name] = typeof value === 'number' ? String(value) : value;
  }
  return forwardedResponseHeaders(plain);
}

/**
 * One gRPC call proxied to an HTTP/2 upstream (Kong's `grpc_pass`): the
 * request's headers, body and the upstream's response head, messages and
 * trailers relayed as they come, in both directions at once (so unary,
 * client-, server- and bidi-streaming calls all work), with back-pressure
 * each way. A connection that cannot be made (refused, connect timeout) is
 * retried on another try (another target when balanced), up to `retries`;
 * once a stream is open the call is never retried. read_timeout bounds the
 * wait for the response head and each pause of the stream after it. A
 * `grpc-timeout` from the client is passed on as the time left, and when it
 * runs out at the gateway the upstream stream is cancelled and the client
 * gets DEADLINE_EXCEEDED. A client that goes away (RST_STREAM) cancels the
 * upstream stream; an upstream reset after the head resets the client's
 * stream with the same code.
 */
class GrpcExchange implements UpstreamHandle {
  private tries = 0;
  /** Set once the head was relayed or the call answered: nothing else is sent but body, trailers or a reset. */
  private settled = false;
  private aborted = false;
  private headRelayed = false;
  private stream: ClientHttp2Stream | null = null;
  private peer: Peer | null = null;
  private lastPeer: Peer | null = null;
  private sentAt = 0;
  private deadlineAt = Infinity;
  private deadlineTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: RequestContext,
    private readonly res: ClientResponse,
    private readonly service: CompiledService,
    private readonly onFailure: GrpcFailure,
  ) {}

  start(): void {
    // The client reset its stream (a cancel, its deadline): Node's compatibility response then reads writableFinished
    // true, so the proxy's own check misses it; a response this exchange did not end is a cancel.
    this.res.once('close', () => {
      if (!this.res.writableEnded) this.abort();
    });
    const timeout = parseGrpcTimeout(this.ctx.req.headers['grpc-timeout']);
    if (timeout !== null) {
      this.deadlineAt = this.ctx.startedAt + timeout;
      const left = this.deadlineAt - performance.now();
      // A timer beyond Node's limit (about 24.8 days) would fire at once: such a deadline is only passed on.
      if (left <= MAX_TIMER_MS) this.deadlineTimer = setTimeout(() => this.deadlineExpired(), Math.max(0, left));
    }
    this.attempt();
  }

  abort(): void {
    this.aborted = true;
    this.clearDeadline();
    this.releasePeer(null);
    const stream = this.stream;
    if (stream !== null && !stream.closed) stream.close(NGHTTP2_CANCEL);
  }

  private attempt(): void {
    if (this.aborted || this.settled) return;
    this.tries++;
    const target = this.chooseTarget();
    if (target === null) return;
    this.service.h2.acquire(target, (err, session) => {
      if (err !== null || session === null) return this.connectFailed(err ?? new Error('no upstream session'));
      this.open(session);
    });
  }

  /** The origin of this try: the service's host, or a target of its upstream; null after answering 503 when none can take it. */
  private chooseTarget(): PoolTarget | null {
    const ctx = this.ctx;
    const balancer = this.service.balancer;
    let target = this.service.h2Target;
    if (balancer !== null) {
      const peer = balancer.pick(ctx, this.lastPeer);
      if (peer === null) {
        this.fail('no_peer', new Error('failure to get a peer from the ring-balancer'));
        return null;
      }
      this.peer = peer;
      this.lastPeer = peer;
      target = peer.poolTarget;
      if (ctx.route?.preserveHost !== true) ctx.upstreamHeaders.host = peer.hostHeader;
    }
    // As for https: the TLS name is the Host sent upstream, the client's own with preserve_host.
    if (target.scheme === 'https' && ctx.route?.preserveHost === true) {
      const host = ctx.upstreamHeaders.host;
      target = { ...target, servername: typeof host === 'string' ? serverName(host) : undefined };
    }
    return target;
  }

  private connectFailed(err: Error): void {
    const failure = classifyFailure(err);
    if (this.peer !== null) this.service.balancer?.reportFailure(this.peer, failure);
    this.releasePeer(null);
    if (this.aborted) return;
    if ((failure === 'refused' || failure === 'connect_timeout') && this.tries <= this.service.retries) return this.attempt();
    this.fail(failure, err);
  }

  private open(session: ClientHttp2Session): void {
    if (this.aborted || this.settled) return this.releasePeer(null);
    const ctx = this.ctx;
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(this.requestHeaders(), { endStream: false });
    } catch (err) {
      // Node refuses a header it finds invalid for HTTP/2, or a session closing under us.
      this.releasePeer(null);
      return this.fail('error', asError(err));
    }
    this.stream = stream;
    this.sentAt = performance.now();
    if (ctx.proxyLatency < 0) ctx.proxyLatency = Math.round(this.sentAt - ctx.startedAt);
    stream.setTimeout(this.service.readTimeout, () => this.readTimedOut());
    stream.on('response', (headers, flags) => this.onResponse(headers, flags));
    stream.on('data', (chunk: Buffer) => {
      if (!this.res.write(chunk)) {
        stream.pause();
        this.res.once('drain', () => stream.resume());
      }
    });
    stream.on('trailers', (trailers: IncomingHttpHeaders & IncomingHttpStatusHeader) => this.res.addTrailers(relayedHeaders(trailers)));
    stream.on('end', () => {
      // A stream the upstream reset also ends: that one is passed on as a reset ('close'), never as a complete call.
      if (this.headRelayed && !this.res.writableEnded && !stream.aborted && stream.rstCode === NGHTTP2_NO_ERROR) this.finish();
    });
    stream.on('error', () => undefined); // reported through 'close' and its rstCode
    stream.on('close', () => this.onClose(stream));
    this.sendBody(stream);
  }

  /** The upstream request head: the proxy's upstream headers with the HTTP/2 pseudo-headers, and the deadline left. */
  private requestHeaders(): OutgoingHttpHeaders {
    const ctx = this.ctx;
    const path = escapePath(ctx.upstreamPath);
    const headers: OutgoingHttpHeaders = {
      ':method': ctx.upstreamMethod,
      ':scheme': this.service.scheme,
      ':path': ctx.upstreamQuery === null ? path : `${path}?${ctx.upstreamQuery}`,
    };
    const upstream = ctx.upstreamHeaders;
    for (const name in upstream) {
      const value = upstream[name];
      if (value === undefined || name.charCodeAt(0) === 58) continue;
      if (name === 'host') headers[':authority'] = value;
      else headers[name] = value;
    }
    dropConnectionHeaders(headers);
    // As nginx's grpc module: gRPC upstreams expect it, whatever the client sent.
    headers.te = 'trailers';
    if (this.deadlineAt !== Infinity) headers['grpc-timeout'] = formatGrpcTimeout(this.deadlineAt - performance.now());
    return headers;
  }

  /** The client's messages upstream as they arrive (or the body plugins read), the stream ended with them. */
  private sendBody(stream: ClientHttp2Stream): void {
    const ctx = this.ctx;
    if (ctx.upstreamBody !== null) {
      ctx.upstreamBody.then(
        (body) => stream.end(body),
        () => stream.close(NGHTTP2_CANCEL),
      );
      return;
    }
    const req = ctx.req;
    if (req.readableEnded) return void stream.end();
    ctx.allowBody();
    req.on('data', (chunk: Buffer) => {
      if (stream.destroyed) return;
      if (!stream.write(chunk)) {
        req.pause();
        stream.once('drain', () => req.resume());
      }
    });
    req.once('end', () => {
      if (!stream.destroyed) stream.end();
    });
  }

  private onResponse(headers: IncomingHttpHeaders & IncomingHttpStatusHeader, flags: number): void {
    const ctx = this.ctx;
    const status = Number(headers[HTTP2_HEADER_STATUS] ?? 0);
    if (this.settled || status < 200) return;
    this.settled = true;
    ctx.upstreamLatency = Math.round(performance.now() - this.sentAt);
    if (this.peer !== null) this.service.balancer?.reportStatus(this.peer, status);
    this.releasePeer(ctx.upstreamLatency);
    let out = relayedHeaders(headers);
    let sent = status;
    const upstreamStatus = ctx.headerProfile.upstreamStatus;
    if (upstreamStatus !== null) out[upstreamStatus] = String(status);
    const p = ctx.plugins;
    const chain = ctx.chain;
    if (p !== null && chain !== null) {
      p.upstreamLatencyMs = ctx.upstreamLatency;
      p.beginResponse(status, out);
      chain.headerFilter(p);
      sent = p.status;
      out = p.responseHeaders;
    }
    addProxiedHeaders(ctx, out);
    dropConnectionHeaders(out);
    ctx.status = sent;
    this.headRelayed = true;
    const res = this.res;
    if ((flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0) {
      // Trailers-only (a status without messages): one HEADERS frame ending the stream, as the upstream sent it.
      res.statusCode = sent;
      for (const name of Object.keys(out)) {
        const value = out[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      return this.finish();
    }
    res.writeHead(sent, out);
  }

  private finish(): void {
    this.clearDeadline();
    this.res.end();
  }

  private onClose(stream: ClientHttp2Stream): void {
    const code = stream.rstCode;
    if (this.aborted) return;
    if (!this.settled) {
      const failure: UpstreamFailure = code === NGHTTP2_CANCEL || code === NGHTTP2_NO_ERROR ? 'reset' : 'error';
      if (this.peer !== null) this.service.balancer?.reportFailure(this.peer, 'reset');
      this.releasePeer(null);
      return this.fail(failure, new Error(`upstream closed the stream (HTTP/2 error code ${code}) before its response`));
    }
    if (!this.res.writableEnded) {
      // Cut mid-response: the client's stream is reset too, so a truncated call never looks complete.
      this.clearDeadline();
      this.resetClient(code === NGHTTP2_NO_ERROR ? NGHTTP2_INTERNAL_ERROR : code);
    }
  }

  private readTimedOut(): void {
    const stream = this.stream;
    if (stream === null) return;
    if (!this.settled) {
      if (this.peer !== null) this.service.balancer?.reportFailure(this.peer, 'read_timeout');
      this.releasePeer(null);
      this.fail('read_timeout', timeoutError('UND_ERR_HEADERS_TIMEOUT', 'upstream read timeout'));
      stream.close(NGHTTP2_CANCEL);
      return;
    }
    this.aborted = true;
    stream.close(NGHTTP2_CANCEL);
    this.resetClient(NGHTTP2_CANCEL);
  }

  /** The client's deadline passed: the upstream is cancelled and the client told DEADLINE_EXCEEDED. */
  private deadlineExpired(): void {
    this.deadlineTimer = null;
    if (this.res.writableEnded) return;
    const stream = this.stream;
    this.aborted = true;
    this.releasePeer(null);
    if (stream !== null && !stream.closed) stream.close(NGHTTP2_CANCEL);
    if (!this.headRelayed) {
      this.settled = true;
      return sendGrpcAnswer(this.ctx, this.res, GRPC_ANSWERS.deadline.status, grpcMessageOf(GRPC_ANSWERS.deadline), {});
    }
    this.res.addTrailers({ 'grpc-status': String(GRPC_STATUS.DEADLINE_EXCEEDED), 'grpc-message': encodeGrpcMessage(GRPC_ANSWERS.deadline.message) });
    this.res.end();
  }

  private resetClient(code: number): void {
    const client = this.res.stream;
    if (client !== undefined && !client.destroyed) client.close(code);
    else this.res.destroy();
  }

  private fail(failure: UpstreamFailure, err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.clearDeadline();
    this.onFailure(failure, err, this.tries);
  }

  private releasePeer(ms: number | null): void {
    if (this.peer === null) return;
    this.service.balancer?.finished(this.peer, ms);
    this.peer = null;
  }

  private clearDeadline(): void {
    if (this.deadlineTimer === null) return;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }
}

/** Proxies a gRPC call to the service's HTTP/2 upstream; see GrpcExchange. `onFailure` answers a call that got no response head. */
export function proxyGrpc(ctx: RequestContext, res: ServerResponse, service: CompiledService, onFailure: GrpcFailure): UpstreamHandle {
  const exchange = new GrpcExchange(ctx, res, service, onFailure);
  exchange.start();
  return exchange;
}
