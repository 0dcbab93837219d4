import type { IncomingMessage, ServerResponse } from 'node:http';
import { thrownMessage } from '@gatehouse/protocol';
import type { Engine } from '../engine/engine';
import { normalizePath, splitTarget } from '../router/request-path';
import { proxyGrpc } from '../grpc/exchange';
import { failureStatus, type UpstreamFailure } from '../upstream/failure';
import { sendUpstream, type UpstreamHandle } from '../upstream/send';
import { ANSWERS } from './answers';
import { repeatsHeaderLines } from './header-lines';
import { DEFAULT_HEADER_PROFILE, type HeaderProfile } from './header-profile';
import { copyHeaders } from './headers';
import { newRequestId } from './request-id';
import { checkRequestLine } from './request-line';
import { RequestContext } from './request-context';
import { relayResponse } from './relay';
import { applyPluginDecisions, resolveRequest, type ListenerInfo } from './resolve';
import { finishRequest, sendAnswer, sendPluginExit, sendRedirect, type RespondDeps } from './respond';

/** What the proxy handler needs: the engine to read the config from, a logger, the request observers and the header settings. */
export interface ProxyDeps extends RespondDeps {
  engine: Engine;
  /** GATEHOUSE_HEADERS / GATEHOUSE_HEADERS_UPSTREAM; Gatehouse's defaults when absent. */
  headers?: HeaderProfile;
}

/** The gateway answer for each upstream failure status. */
export const FAILURE_ANSWERS = { 502: ANSWERS.badGateway, 503: ANSWERS.unavailable, 504: ANSWERS.timeout } as const;

/** Builds the per-request context: request id, normalized and raw path, query, client address, header settings. */
export function createContext(req: IncomingMessage, listener: ListenerInfo, headers: HeaderProfile = DEFAULT_HEADER_PROFILE): RequestContext {
  const { path, query } = splitTarget(req.url ?? '/');
  const ctx = new RequestContext(
    req,
    newRequestId(),
    listener.scheme,
    req.socket.remoteAddress ?? '',
    normalizePath(path),
    path,
    query,
    performance.now(),
    Date.now(),
  );
  ctx.headerProfile = headers;
  if (repeatsHeaderLines(req)) {
    // Rare: the upstream gets every line as sent (upstream/send.ts), compared against Node's folded view, kept intact.
    ctx.repeatsHeaderLines = true;
    ctx.upstreamHeaders = copyHeaders(req.headers);
  }
  return ctx;
}

/**
 * The proxy's request handler: route → plugins' access phase → upstream →
 * relay, with Kong's answers for every way that can fail. The config is read
 * once per request, so a swap mid-request never mixes two versions. Requests
 * on routes without plugins take a path with no promise and no plugin context.
 */
export function createProxyHandler(deps: ProxyDeps, listener: ListenerInfo): (req: IncomingMessage, res: ServerResponse, expectsContinue?: boolean) => void {
  return (req, res, expectsContinue = false) => {
    const refusal = checkRequestLine(req);
    const ctx = createContext(req, listener, deps.headers);
    // The client waits for 100 Continue before sending its body: it gets one only when the body is read.
    if (expectsContinue) ctx.sendContinue = () => res.writeContinue();
    let upstream: UpstreamHandle | null = null;
    res.once('close', () => {
      // writableEnded, not writableFinished: an HTTP/2 response reports finished once its stream was reset by the client.
      if (upstream !== null && !res.writableEnded) upstream.abort();
      finishRequest(deps, ctx, res.headersSent ? res.statusCode : null);
    });

    if (refusal !== null) return sendAnswer(ctx, res, refusal, { connection: 'close' });
    const resolution = resolveRequest(deps.engine.compiled, ctx, listener);
    if (resolution.kind === 'answer') return sendAnswer(ctx, res, resolution.answer, resolution.headers);
    if (resolution.kind === 'redirect') return sendRedirect(ctx, res, resolution.status, resolution.location);
    const service = resolution.service;

    const proxy = (): void => {
      if (ctx.plugins !== null) {
        if (ctx.plugins.exitResponse !== null) return sendPluginExit(ctx, res);
        applyPluginDecisions(ctx);
      }
      const onFailure = (failure: UpstreamFailure, err: Error, tries: number): void => {
        deps.log.warn({ event: 'upstream_failed', request_id: ctx.requestId, service: service.id, failure, tries, error: err.message });
        if (res.headersSent) res.destroy();
        else sendAnswer(ctx, res, failure === 'no_peer' ? ANSWERS.noPeer : FAILURE_ANSWERS[failureStatus(failure)]);
      };
      upstream = service.grpc
        ? proxyGrpc(ctx, res, service, onFailure)
        : sendUpstream(ctx, service, { onResponse: (upstreamRes, flow) => relayResponse(ctx, res, upstreamRes, flow), onFailure });
    };

    const plugins = ctx.plugins;
    if (plugins === null) return proxy();
    const pending = resolution.route.chain.access(plugins);
    if (pending === undefined) proxy();
    else
      pending.then(proxy, (err: unknown) => {
        deps.log.error({ event: 'plugin_error', phase: 'access', request_id: ctx.requestId, error: thrownMessage(err) });
        sendAnswer(ctx, res, ANSWERS.internalError);
      });
  };
}
