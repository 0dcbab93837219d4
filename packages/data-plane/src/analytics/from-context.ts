import type { RequestContext } from '../proxy/request-context';
import type { RequestRecord } from './recorder';

/** What analytics counts of a finished request: the one mapping from the proxy's context. */
export function requestRecordOf(ctx: RequestContext): RequestRecord {
  return {
    routeId: ctx.route?.id ?? null,
    serviceId: ctx.service?.id ?? null,
    consumerId: ctx.consumerId,
    status: ctx.status,
    latencyMs: ctx.latency,
    upstreamLatencyMs: ctx.upstreamLatency < 0 ? null : ctx.upstreamLatency,
  };
}
