import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../logging';
import { answerBody, type Answer } from './answers';
import { answersInGrpc, grpcMessageOf, sendGrpcAnswer } from '../grpc/answer';
import { addProducedHeaders } from './gateway-headers';
import { dropConnectionHeaders } from './http2-request';
import type { RequestContext } from './request-context';

/**
 * Called once per finished request (answered, proxied, or abandoned by the
 * client) with the final context: route, service, consumerId, status and
 * latencies. Runs on the hot path: it must be cheap and must not throw.
 */
export type RequestObserver = (ctx: RequestContext) => void;

/** What answering needs besides the request. */
export interface RespondDeps {
  log: Logger;
  observers: readonly RequestObserver[];
}

/**
 * Sends a response the gateway produced (its own answer or a plugin's exit)
 * through the chain's header_filter and body_filter, as Kong does for
 * `kong.response.exit`, then adds the gateway's own headers.
 */
function sendProduced(ctx: RequestContext, res: ServerResponse, status: number, body: Buffer | string, headers: OutgoingHttpHeaders): void {
  if (res.headersSent) return;
  let payload = body;
  let out = headers;
  out['content-length'] = Buffer.byteLength(payload);
  let code = status;
  const p = ctx.plugins;
  const chain = ctx.chain;
  if (p !== null && chain !== null) {
    p.beginResponse(status, out);
    chain.headerFilter(p);
    if (chain.buffersResponseBody) {
      payload = chain.bodyFilter(p, Buffer.isBuffer(payload) ? payload : Buffer.from(payload));
      p.responseHeaders['content-length'] = payload.length;
    }
    code = p.status;
    out = p.responseHeaders;
  }
  addProducedHeaders(ctx, out);
  if (ctx.http2) dropConnectionHeaders(out);
  ctx.status = code;
  res.writeHead(code, out);
  res.end(payload);
}

/** Answers with one of the gateway's own JSON messages (`{message, request_id}`). */
export function sendAnswer(ctx: RequestContext, res: ServerResponse, answer: Answer, extra?: Record<string, string>): void {
  if (answersInGrpc(ctx)) return sendGrpcAnswer(ctx, res, answer.status, grpcMessageOf(answer), { ...extra });
  const body = answerBody(answer.message, ctx.requestId);
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', ...extra };
  sendProduced(ctx, res, answer.status, body, headers);
}

/** Answers with an empty-bodied redirect. */
export function sendRedirect(ctx: RequestContext, res: ServerResponse, status: number, location: string): void {
  if (answersInGrpc(ctx)) return sendGrpcAnswer(ctx, res, status, null, { location });
  sendProduced(ctx, res, status, '', { location });
}

/** Sends the answer a plugin gave in `access` (its status, body and headers). */
export function sendPluginExit(ctx: RequestContext, res: ServerResponse): void {
  const exit = ctx.plugins?.exitResponse;
  if (!exit) return;
  if (answersInGrpc(ctx)) return sendGrpcAnswer(ctx, res, exit.status, exit.grpcMessage ?? null, {});
  sendProduced(ctx, res, exit.status, exit.body, {});
}

/**
 * The log phase and the observers, once the response is over or the client
 * left (then the status is 499, nginx's "client closed request", unless
 * something was already sent).
 */
export function finishRequest(deps: RespondDeps, ctx: RequestContext, sentStatus: number | null): void {
  ctx.latency = Math.round(performance.now() - ctx.startedAt);
  if (ctx.status === 0) ctx.status = sentStatus ?? 499;
  const p = ctx.plugins;
  if (p !== null && ctx.chain !== null) {
    if (p.status === 0) p.status = ctx.status;
    ctx.consumerId = p.consumer?.id ?? null;
    ctx.chain.logPhase(p);
  }
  for (const observe of deps.observers) {
    try {
      observe(ctx);
    } catch (err) {
      deps.log.error({ event: 'request_observer_error', error: (err as Error).message });
    }
  }
}
