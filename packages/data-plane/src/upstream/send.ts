import { asError } from '@gatehouse/protocol';
import { PassThrough } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import { keepRepeatedLines } from '../proxy/header-lines';
import type { RequestContext } from '../proxy/request-context';
import { escapePath } from '../router/request-path';
import type { CompiledService } from '../engine/compiled';
import type { Peer } from '../balancer/service-balancer';
import { classifyFailure, timeoutError, type UpstreamFailure } from './failure';
import { serverName } from './pools';

/** A request in flight upstream; `abort` stops it (and its retries) when the client goes away. */
export interface UpstreamHandle {
  abort(): void;
}

/** The upstream's final answer head; header names are lower case, repeated headers are arrays. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
}

/** Back-pressure on the upstream's body: `pause` stops reading from the upstream until `resume`. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Where the upstream's body goes once its head was taken. Exactly one of `end` and `fail` is called. */
export interface ResponseSink {
  data(chunk: Buffer): void;
  end(): void;
  fail(err: Error): void;
}

/** What the caller learns from `sendUpstream`: exactly one of these is called, once (none after `abort`). */
export interface UpstreamCallbacks {
  onResponse(res: UpstreamResponse, flow: FlowControl): ResponseSink;
  onFailure(failure: UpstreamFailure, err: Error, tries: number): void;
}

/** Above this a streamed body is no longer kept for replay, and the request is not retried. */
const MAX_REPLAY_BYTES = 1024 * 1024;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * One proxied request upstream, as an undici dispatch handler, across its
 * tries. Timeouts follow nginx (as Kong): connect_timeout bounds connecting
 * (the pool's connector), read_timeout is the longest wait for the response
 * head and the longest pause between body reads (undici's headersTimeout and
 * bodyTimeout), write_timeout the longest pause while sending a body (timed
 * here). Connection failures (refused, connect timeout, a reset on a reused
 * keep-alive connection, i.e. before any answer) are retried up to
 * `retries` times; any other reset only for idempotent methods; read and
 * write timeouts never, so a slow upstream is not hit twice. A streamed
 * client body is kept (up to 1 MiB) to replay on a retry.
 */
class UpstreamExchange implements Dispatcher.DispatchHandler, UpstreamHandle {
  private tries = 0;
  private done = false;
  private aborted = false;
  private sentAt = 0;
  private controller: Dispatcher.DispatchController | null = null;
  private sink: ResponseSink | null = null;
  /** The streamed client body of the current try, and what was read of it so far (for a replay). */
  private bodyStream: PassThrough | null = null;
  private readonly replay: Buffer[] = [];
  private replayBytes = 0;
  private replayable = true;
  private bodyEnded: boolean;
  private writeTimer: NodeJS.Timeout | null = null;
  private readonly streamsBody: boolean;
  private readonly options: Dispatcher.DispatchOptions;
  private pool: Pool;
  /** The target of the current try, for a service balanced over an upstream (released when the try ends). */
  private peer: Peer | null = null;
  /** The target the last try went to: a retry avoids it when another exists. */
  private lastPeer: Peer | null = null;

  constructor(
    private readonly ctx: RequestContext,
    private readonly service: CompiledService,
    private readonly cb: UpstreamCallbacks,
  ) {
    this.streamsBody = ctx.upstreamBody === null && ctx.hasBody;
    this.bodyEnded = !this.streamsBody;
    const path = escapePath(ctx.upstreamPath);
    const headers = ctx.repeatsHeaderLines ? keepRepeatedLines(ctx.upstreamHeaders, ctx.req) : ctx.upstreamHeaders;
    this.options = {
      path: ctx.upstreamQuery === null ? path : `${path}?${ctx.upstreamQuery}`,
      method: ctx.upstreamMethod,
      headers: headers as Record<string, string | string[]>,
      body: null,
      headersTimeout: service.readTimeout,
      bodyTimeout: service.readTimeout,
    };
    this.pool = service.balancer === null ? upstreamPool(ctx, service) : service.pool;
    if (this.streamsBody) this.followClientBody();
  }

  start(): void {
    if (this.ctx.upstreamBody !== null) {
      this.ctx.upstreamBody.then(
        (body) => {
          this.options.body = body;
          this.attempt();
        },
        (err: unknown) => this.fail('error', asError(err)),
      );
    } else {
      this.attempt();
    }
  }

  abort(): void {
    this.done = true;
    this.aborted = true;
    this.clearWriteTimer();
    this.releasePeer(null);
    this.controller?.abort(new Error('client closed the connection'));
  }

  private attempt(): void {
    if (this.aborted) return;
    this.tries++;
    this.controller = null;
    if (this.service.balancer !== null && !this.choosePeer()) return;
    if (this.streamsBody) this.options.body = this.newBodyStream();
    this.sentAt = performance.now();
    if (this.ctx.proxyLatency < 0) this.ctx.proxyLatency = Math.round(this.sentAt - this.ctx.startedAt);
    // A request that outlived its config (a slow body, retries) may find its pool retired and closed.
    if (this.pool.closed || this.pool.destroyed) this.pool = this.peer !== null ? this.peer.reopenPool() : upstreamPool(this.ctx, this.service, true);
    try {
      this.pool.dispatch(this.options, this);
    } catch (err) {
      // undici refuses a request it cannot write (a path or header it finds invalid).
      this.fail('error', asError(err));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) return controller.abort(new Error('client closed the connection'));
    if (!this.bodyEnded) this.armWriteTimer();
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[]>): void {
    if (status < 200 || this.done) return; // 1xx: the final head follows
    this.done = true;
    this.clearWriteTimer();
    this.ctx.upstreamLatency = Math.round(performance.now() - this.sentAt);
    if (this.peer !== null) this.service.balancer?.reportStatus(this.peer, status);
    this.releasePeer(this.ctx.upstreamLatency);
    this.sink = this.cb.onResponse({ status, headers }, controller);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.sink?.data(chunk);
  }

  onResponseEnd(): void {
    this.sink?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.clearWriteTimer();
    if (this.sink !== null) return this.sink.fail(err);
    if (this.done) return;
    const failure = classifyFailure(err);
    if (this.peer !== null) this.service.balancer?.reportFailure(this.peer, failure);
    this.releasePeer(null);
    if (this.retryable(failure, err) && this.tries <= this.service.retries && !this.ctx.req.destroyed) return this.attempt();
    this.fail(failure, err);
  }

  private retryable(failure: UpstreamFailure, err: Error): boolean {
    if (this.streamsBody && !this.replayable) return false;
    // A failed TLS handshake is a failed connection, retried as nginx does (proxy_next_upstream error).
    if (failure === 'refused' || failure === 'connect_timeout' || failure === 'tls') return true;
    if (failure !== 'reset') return false;
    if (IDEMPOTENT.has(this.ctx.upstreamMethod)) return true;
    // A reset on a connection that had answered before, with no answer to this request: the upstream closed it while idle.
    const socket = (err as { socket?: { bytesRead?: number } }).socket;
    return socket !== undefined && (socket.bytesRead ?? 0) > 0;
  }

  /**
   * Picks the target of this try from the service's upstream (avoiding the
   * last one tried when another exists), with its pool and Host header;
   * false after answering Kong's 503 when no target can take the request.
   */
  private choosePeer(): boolean {
    const balancer = this.service.balancer;
    if (balancer === null) return true;
    const peer = balancer.pick(this.ctx, this.lastPeer);
    if (peer === null) {
      this.fail('no_peer', new Error('failure to get a peer from the ring-balancer'));
      return false;
    }
    this.peer = peer;
    this.lastPeer = peer;
    this.pool = peerPool(this.ctx, peer);
    if (this.ctx.route?.preserveHost !== true) this.ctx.upstreamHeaders.host = peer.hostHeader;
    return true;
  }

  /** The current try's target is done with (least connections counts it, latency learns `ms`). */
  private releasePeer(ms: number | null): void {
    if (this.peer === null) return;
    this.service.balancer?.finished(this.peer, ms);
    this.peer = null;
  }

  private fail(failure: UpstreamFailure, err: Error): void {
    if (this.done) return;
    this.done = true;
    this.clearWriteTimer();
    if (!this.bodyEnded) {
      // The rest of the client's body goes nowhere: read and drop it, so the
      // client, blocked on sending, gets to read the answer.
      this.bodyStream?.destroy();
      this.bodyStream = null;
      this.ctx.req.resume();
    }
    this.cb.onFailure(failure, err, this.tries);
  }

  /** One listener forwards the client body to whichever try is current, keeping a copy for a retry. */
  private followClientBody(): void {
    this.ctx.allowBody();
    const req = this.ctx.req;
    req.on('data', (chunk: Buffer) => {
      if (this.replayable) {
        this.replayBytes += chunk.length;
        if (this.replayBytes > MAX_REPLAY_BYTES) {
          this.replayable = false;
          this.replay.length = 0;
        } else {
          this.replay.push(chunk);
        }
      }
      const stream = this.bodyStream;
      if (stream === null || stream.destroyed) return;
      this.writeTimer?.refresh();
      if (!stream.write(chunk)) {
        req.pause();
        stream.once('drain', () => {
          this.writeTimer?.refresh();
          req.resume();
        });
      }
    });
    req.once('end', () => {
      this.bodyEnded = true;
      this.bodyStream?.end();
    });
  }

  /** The body of a new try: what was read so far, then the rest as it arrives. */
  private newBodyStream(): PassThrough {
    this.bodyStream?.destroy();
    const stream = new PassThrough();
    for (const chunk of this.replay) stream.write(chunk);
    // Sent in full: from here only read_timeout applies.
    stream.once('end', () => this.clearWriteTimer());
    if (this.bodyEnded) stream.end();
    // A pause for the previous try's back-pressure must not outlive it.
    else if (this.ctx.req.isPaused()) this.ctx.req.resume();
    this.bodyStream = stream;
    return stream;
  }

  private armWriteTimer(): void {
    this.clearWriteTimer();
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      this.controller?.abort(timeoutError('GATEHOUSE_WRITE_TIMEOUT', 'upstream write timeout'));
    }, this.service.writeTimeout);
  }

  private clearWriteTimer(): void {
    if (this.writeTimer === null) return;
    clearTimeout(this.writeTimer);
    this.writeTimer = null;
  }
}

/** Kong sends the upstream Host header's name as SNI: with preserve_host on an https service, the client's host. */
function upstreamPool(ctx: RequestContext, service: CompiledService, reopen = false): Pool {
  if (service.scheme !== 'https' || !ctx.route?.preserveHost) return reopen ? service.reopenPool() : service.pool;
  const host = ctx.upstreamHeaders.host;
  return service.poolFor(typeof host === 'string' ? serverName(host) : undefined);
}

/** A balanced try's pool: the target's, or with preserve_host on https the one for the client's Host as SNI. */
function peerPool(ctx: RequestContext, peer: Peer): Pool {
  if (peer.poolTarget.scheme !== 'https' || !ctx.route?.preserveHost) return peer.pool;
  const host = ctx.upstreamHeaders.host;
  return peer.poolFor(typeof host === 'string' ? serverName(host) : undefined);
}

/** Sends the request upstream through the service's connection pool; see UpstreamExchange for timeouts and retries. */
export function sendUpstream(ctx: RequestContext, service: CompiledService, cb: UpstreamCallbacks): UpstreamHandle {
  const exchange = new UpstreamExchange(ctx, service, cb);
  exchange.start();
  return exchange;
}
