import type { CompiledConfig, CompiledRoute, CompiledService } from '../engine/compiled';
import type { PluginChain } from '../plugins/chain';
import { PluginContext } from '../plugins/context';
import { parseHostHeader } from '../router/host';
import { upstreamPath } from '../router/upstream-path';
import { answersInGrpc } from '../grpc/answer';
import { grpcRouteRefusal } from '../grpc/route-checks';
import { ANSWERS, type Answer } from './answers';
import { copyHeaders, isWebSocketUpgrade, setForwardedHeaders, stripHopByHop } from './headers';
import type { RequestContext } from './request-context';

/** What to do with a request after routing. */
export type Resolution =
  | { kind: 'answer'; answer: Answer; headers?: Record<string, string> }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'proxy'; route: CompiledRoute; service: CompiledService };

/** The listener a request arrived on. */
export interface ListenerInfo {
  scheme: 'http' | 'https';
  /** The port the proxy listens on (X-Forwarded-Port). */
  port: number;
}

/** Gives the request its plugin chain and, when the chain has plugins, the plugins' view of it. */
function attachChain(ctx: RequestContext, chain: PluginChain, host: string): void {
  ctx.chain = chain;
  if (chain.size === 0) return;
  const req = ctx.req;
  ctx.plugins = new PluginContext({
    method: req.method ?? 'GET',
    scheme: ctx.scheme,
    host,
    path: ctx.path,
    rawQuery: ctx.upstreamQuery ?? '',
    clientIp: ctx.clientIp,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    upstreamHeaders: ctx.upstreamHeaders,
    routeId: ctx.route?.id ?? null,
    serviceId: ctx.service?.id ?? null,
    uriCaptures: ctx.uriCaptures,
    readBody: () => ctx.readBody(),
    startedAt: ctx.startedAt,
    requestUri: req.url,
    httpVersion: req.httpVersion,
    grpc: answersInGrpc(ctx),
  });
}

/** The TLS server name of a request that came over TLS (null: the client sent none); undefined on the plain listener, where routes' `snis` are not checked. */
function clientSni(req: RequestContext['req'], listener: ListenerInfo): string | null | undefined {
  if (listener.scheme !== 'https') return undefined;
  const name = (req.socket as { servername?: unknown } | null)?.servername;
  return typeof name === 'string' && name !== '' ? name : null;
}

/**
 * Routes a request and fills the context: chain (and plugin view), route,
 * service, matched prefix, upstream path, and upstream headers (hop-by-hop
 * removed, Host, X-Forwarded-*, X-Real-IP, Via, request id). Mirrors Kong's
 * access-phase prologue, including its 426 / https redirect and its 503 for
 * a route without a service.
 */
export function resolveRequest(compiled: CompiledConfig | null, ctx: RequestContext, listener: ListenerInfo): Resolution {
  const req = ctx.req;
  const rawHost = req.headers.host;
  const { host, port } = parseHostHeader(rawHost, listener.scheme === 'https' ? 443 : 80);
  if (compiled === null) return { kind: 'answer', answer: ANSWERS.noRoute };
  // `headers: req`: header conditions read every line (req.headersDistinct, built only if one is tested), not req.headers, where Node folds repeats.
  const match = compiled.router.match({ method: req.method ?? 'GET', path: ctx.path, host, port, headers: req, sni: clientSni(req, listener) });
  if (match === null) {
    attachChain(ctx, compiled.globalChain, host);
    return { kind: 'answer', answer: ANSWERS.noRoute };
  }
  const route = match.payload;
  ctx.route = route;
  ctx.service = route.service;
  ctx.prefix = match.prefix;
  ctx.captures = match.captures;
  ctx.uriCaptures = match.uriCaptures;
  // Plugins read the client's headers and edit the upstream's: they must be two objects.
  if (route.chain.size > 0) ctx.upstreamHeaders = copyHeaders(req.headers);
  attachChain(ctx, route.chain, host);

  const upgrade = isWebSocketUpgrade(req.headers);
  if (route.httpsOnly && listener.scheme !== 'https' && !(upgrade && route.protocols.has('ws'))) {
    if (route.httpsRedirectStatus === 426) {
      return { kind: 'answer', answer: ANSWERS.useHttps, headers: { connection: 'Upgrade', upgrade: 'TLS/1.2, HTTP/1.1' } };
    }
    return { kind: 'redirect', status: route.httpsRedirectStatus, location: `https://${host}${req.url ?? '/'}` };
  }
  if (route.grpc) {
    const refusal = grpcRouteRefusal(req, listener, route.protocols);
    if (refusal !== null) return refusal;
  }
  const service = route.service;
  if (service === null) return { kind: 'answer', answer: ANSWERS.noService };
  if (!service.proxyable) return { kind: 'answer', answer: ANSWERS.unavailable };

  const strip = route.stripPath && match.prefix !== '';
  ctx.upstreamPath = upstreamPath(service.path, route.stripPath, route.pathHandling, ctx.path, match.prefix);
  if (ctx.plugins !== null) ctx.plugins.routedUpstreamPath = ctx.upstreamPath;
  const headers = ctx.upstreamHeaders;
  stripHopByHop(headers);
  if (upgrade) {
    headers.connection = 'Upgrade';
    headers.upgrade = 'websocket';
  }
  // The client got its 100 Continue from the proxy's own server; the upstream gets the body without asking.
  if (headers.expect !== undefined) delete headers.expect;
  headers.host = route.preserveHost && rawHost ? rawHost : service.hostHeader;
  setForwardedHeaders(headers, {
    clientIp: ctx.clientIp,
    scheme: listener.scheme,
    host,
    port: listener.port,
    path: ctx.rawPath,
    prefix: strip ? match.prefix : '',
    httpVersion: req.httpVersion,
    requestId: ctx.requestId,
    requestIdHeader: ctx.headerProfile.upstreamRequestId,
  });
  return { kind: 'proxy', route, service };
}

/**
 * Copies what plugins decided in `access` into the proxy's context: a new
 * method, path, query or body for the upstream request.
 */
export function applyPluginDecisions(ctx: RequestContext): void {
  const p = ctx.plugins;
  if (p === null) return;
  if (p.upstreamMethod !== null) ctx.upstreamMethod = p.upstreamMethod;
  if (p.upstreamPath !== null) ctx.upstreamPath = p.upstreamPath;
  if (p.upstreamQuery !== null) ctx.upstreamQuery = p.upstreamQuery === '' ? null : p.upstreamQuery;
  if (p.upstreamBody !== null) {
    ctx.upstreamBody = Promise.resolve(p.upstreamBody);
    ctx.upstreamHeaders['content-length'] = p.upstreamBody.length;
    delete ctx.upstreamHeaders['transfer-encoding'];
  } else if (p.bodyWasRead) {
    ctx.upstreamBody = p.readBody();
  }
}
