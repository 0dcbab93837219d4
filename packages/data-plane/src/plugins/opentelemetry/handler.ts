import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import type { LogQueue } from '../log-serializer/queue';
import type { SpanRecord } from './otlp-json';
import { spanQueue } from './exporter';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context';
import type { OpentelemetryConfig } from './schema';

/** Kong's `tracing_sampling_rate` default, used when `sampling_rate` is unset. */
const DEFAULT_SAMPLING_RATE = 0.01;

interface Prepared {
  conf: OpentelemetryConfig;
  queue: LogQueue | null;
  extract: boolean;
  inject: boolean;
  clear: string[];
  responseHeader: string | null;
}

interface RequestTrace {
  traceId: string;
  parentSpanId: string;
  rootSpanId: string;
  balancerSpanId: string;
  sampled: boolean;
  /** `performance.now()` when access ran: the upstream call starts after it. */
  accessAt: number;
}

const KEY = 'opentelemetry:trace';
const nanos = (perfMs: number): string => (BigInt(Math.round((performance.timeOrigin + perfMs) * 1000)) * 1000n).toString();

function spansOf(ctx: PluginContext, t: RequestTrace): SpanRecord[] {
  const end = performance.now();
  const root: SpanRecord = {
    traceId: t.traceId,
    spanId: t.rootSpanId,
    parentSpanId: t.parentSpanId,
    name: 'kong',
    kind: 2,
    startTimeUnixNano: nanos(ctx.startedAt),
    endTimeUnixNano: nanos(end),
    attributes: {
      'http.method': ctx.method,
      'http.scheme': ctx.scheme,
      'http.host': ctx.host,
      'http.target': ctx.requestUri,
      'http.flavor': ctx.httpVersion,
      'net.peer.ip': ctx.clientIp,
      'http.status_code': ctx.status,
      ...(ctx.routeId !== null ? { 'kong.route.id': ctx.routeId } : {}),
      ...(ctx.serviceId !== null ? { 'kong.service.id': ctx.serviceId } : {}),
    },
    status: ctx.status >= 500 ? 2 : 0,
  };
  if (ctx.upstreamLatencyMs === null) return [root];
  const balancer: SpanRecord = {
    traceId: t.traceId,
    spanId: t.balancerSpanId,
    parentSpanId: t.rootSpanId,
    name: 'kong.balancer',
    kind: 3,
    startTimeUnixNano: nanos(t.accessAt),
    endTimeUnixNano: nanos(Math.min(end, t.accessAt + ctx.upstreamLatencyMs)),
    attributes: { 'http.status_code': ctx.status },
    status: ctx.status >= 500 ? 2 : 0,
  };
  return [root, balancer];
}

/**
 * opentelemetry (priority 14, Kong's): in access, continues the client's W3C
 * trace (`traceparent`) or starts one, decides sampling (the parent's flag,
 * else `sampling_rate`), and sends the upstream a `traceparent` naming the
 * upstream-call span (`kong.balancer`) as parent; in log, queues the request
 * span (`kong`) and the balancer span for OTLP/HTTP JSON export.
 */
export const opentelemetryHandler: PluginHandler<OpentelemetryConfig, Prepared> = {
  name: 'opentelemetry',
  priority: 14,
  prepare(conf, env) {
    const p = conf.propagation;
    return {
      conf,
      queue: conf.traces_endpoint === null ? null : spanQueue(conf, conf.traces_endpoint, env),
      extract: conf.header_type !== 'ignore' && (p.extract === null || p.extract.length > 0),
      inject: p.inject === null || p.inject.length > 0,
      clear: (p.clear ?? []).map((h) => h.toLowerCase()),
      responseHeader: conf.http_response_header_for_traceid?.toLowerCase() ?? null,
    };
  },
  access(ctx, p) {
    const parent = p.extract ? parseTraceparent(ctx.header('traceparent')) : null;
    const rate = p.conf.sampling_rate ?? DEFAULT_SAMPLING_RATE;
    const t: RequestTrace = {
      traceId: parent?.traceId ?? newTraceId(),
      parentSpanId: parent?.spanId ?? '',
      rootSpanId: newSpanId(),
      balancerSpanId: newSpanId(),
      sampled: parent !== null ? parent.sampled : Math.random() < rate,
      accessAt: performance.now(),
    };
    ctx.set(KEY, t);
    for (const h of p.clear) delete ctx.upstreamHeaders[h];
    if (p.inject) ctx.upstreamHeaders.traceparent = formatTraceparent(t.traceId, t.balancerSpanId, t.sampled);
  },
  headerFilter(ctx, p) {
    const t = ctx.get(KEY) as RequestTrace | undefined;
    if (t !== undefined && p.responseHeader !== null) ctx.responseHeaders[p.responseHeader] = t.traceId;
  },
  log(ctx, p) {
    const t = ctx.get(KEY) as RequestTrace | undefined;
    if (t === undefined || !t.sampled || p.queue === null) return;
    for (const s of spansOf(ctx, t)) p.queue.add(JSON.stringify(s));
  },
};
