import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { appendVia, stripHopByHop, VIA } from './headers';
import type { RequestContext } from './request-context';


/**
 * Relays the upstream's response to the client: hop-by-hop headers removed,
 * `Via`, request id and latency headers added, header_filter run, then the
 * body streamed (or, when the route's chain rewrites bodies, buffered,
 * filtered and sent with its new length). An upstream that breaks mid-body
 * breaks the client connection too, so a truncated body is never taken as whole.
 */
export function relayResponse(ctx: RequestContext, res: ServerResponse, upstream: IncomingMessage): void {
  let headers: OutgoingHttpHeaders = upstream.headers;
  stripHopByHop(headers);
  if (headers['proxy-authenticate'] !== undefined) delete headers['proxy-authenticate'];
  headers.via = appendVia(headers.via, VIA);
  headers['x-gatehouse-request-id'] = ctx.requestId;
  headers['x-gatehouse-upstream-latency'] = String(ctx.upstreamLatency);
  headers['x-gatehouse-proxy-latency'] = String(ctx.proxyLatency);
  let status = upstream.statusCode ?? 502;
  const p = ctx.plugins;
  const chain = ctx.chain;
  if (p !== null && chain !== null) {
    p.upstreamLatencyMs = ctx.upstreamLatency;
    p.beginResponse(status, headers);
    chain.headerFilter(p);
    status = p.status;
    headers = p.responseHeaders;
  }
  ctx.status = status;
  upstream.once('error', () => res.destroy());
  upstream.once('aborted', () => res.destroy());

  if (p === null || chain === null || !chain.buffersResponseBody) {
    res.writeHead(status, headers);
    upstream.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  upstream.on('data', (c: Buffer) => chunks.push(c));
  upstream.once('end', () => {
    const body = chain.bodyFilter(p, Buffer.concat(chunks));
    const out = p.responseHeaders;
    delete out['transfer-encoding'];
    out['content-length'] = body.length;
    res.writeHead(p.status, out);
    res.end(body);
  });
}
