import type { OutgoingHttpHeaders } from 'node:http';
import { SERVER_TOKEN } from '../version';
import { appendVia, VIA } from './headers';
import type { RequestContext } from './request-context';

/**
 * The gateway's own headers on a proxied response, added after the plugins'
 * header_filter as Kong's runloop does (so plugins neither see nor remove
 * them): the latencies, `Via` appended to the upstream's, `Server` only
 * where the upstream sent none, and the request id, each as the request's
 * header profile (GATEHOUSE_HEADERS) names it or not at all.
 */
export function addProxiedHeaders(ctx: RequestContext, headers: OutgoingHttpHeaders, upstreamLatency = ctx.upstreamLatency): void {
  const profile = ctx.headerProfile;
  if (profile.upstreamLatency !== null) headers[profile.upstreamLatency] = String(upstreamLatency);
  if (profile.proxyLatency !== null) headers[profile.proxyLatency] = String(ctx.proxyLatency);
  if (profile.via) headers.via = appendVia(headers.via, VIA);
  if (profile.server && headers.server === undefined) headers.server = SERVER_TOKEN;
  if (profile.requestId !== null) headers[profile.requestId] = ctx.requestId;
}

/**
 * The gateway's own headers on an answer it gives itself (its errors, a
 * plugin's exit, a redirect), after the plugins' header_filter as in Kong:
 * the response latency, `Server` (set, or removed when the profile has no
 * `Server`, except where a plugin put Kong's own product token in `Via`),
 * and the request id. An answer given after the request went upstream (a
 * 502 or 504 when the upstream failed) counts as proxied, as in Kong: it
 * gets the proxied set, its upstream latency the time spent trying.
 */
export function addProducedHeaders(ctx: RequestContext, headers: OutgoingHttpHeaders): void {
  if (ctx.proxyLatency >= 0) {
    const tried = ctx.upstreamLatency >= 0 ? ctx.upstreamLatency : Math.round(performance.now() - ctx.startedAt) - ctx.proxyLatency;
    addProxiedHeaders(ctx, headers, tried);
    return;
  }
  const profile = ctx.headerProfile;
  if (profile.responseLatency !== null) headers[profile.responseLatency] = String(Math.round(performance.now() - ctx.startedAt));
  if (!(profile.via && headers.via === SERVER_TOKEN)) {
    if (profile.server) headers.server = SERVER_TOKEN;
    else if (headers.server !== undefined) delete headers.server;
  }
  if (profile.requestId !== null) headers[profile.requestId] = ctx.requestId;
}
