import type { PluginContext } from '../context';
import type { PluginHandler, PrepareEnv } from '../types';
import { linePrefix, metricLines, statusAllowed, type StatsdFacts } from './lines';
import { sendLines, type SendFailure } from './sender';
import type { StatsdConfig } from './schema';

interface Prepared {
  conf: StatsdConfig;
  names: PrepareEnv['names'];
  entities: PrepareEnv['entities'];
  fail: SendFailure;
}

function bytes(v: unknown): number {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function factsOf(ctx: PluginContext, p: Prepared): StatsdFacts {
  const total = Math.round(performance.now() - ctx.startedAt);
  const upstream = ctx.upstreamLatencyMs !== null && ctx.upstreamLatencyMs >= 0 ? Math.round(ctx.upstreamLatencyMs) : -1;
  const sid = ctx.serviceId;
  const rid = ctx.routeId;
  return {
    status: ctx.status,
    service: sid === null ? null : { id: sid, name: p.names.service(sid) ?? null, host: p.entities.service(sid)?.host ?? null },
    route: rid === null ? null : { id: rid, name: p.names.route(rid) ?? null },
    consumer: ctx.consumer,
    requestSize: bytes(ctx.headers['content-length']),
    responseSize: bytes(ctx.responseHeaders['content-length']),
    latency: total,
    upstreamLatency: upstream,
    kongLatency: upstream >= 0 ? Math.max(0, total - upstream) : total,
  };
}

/**
 * statsd (priority 11, Kong's): after the response, Kong's metrics for the
 * request as StatsD lines (lines.ts) sent over UDP, or TCP with `use_tcp`.
 * Sending never delays the request: the log phase runs once the client has
 * its answer and the sockets are fire-and-forget.
 */
export const statsdHandler: PluginHandler<StatsdConfig, Prepared> = {
  name: 'statsd',
  priority: 11,
  prepare(conf, env) {
    const log = env.runtime.log;
    const fail: SendFailure = (message) => log.warn({ event: 'statsd_send_failed', prefix: linePrefix(conf) }, message);
    return { conf, names: env.names, entities: env.entities, fail };
  },
  log(ctx, p) {
    if (!statusAllowed(p.conf.allow_status_codes, ctx.status)) return;
    const lines = metricLines(p.conf, factsOf(ctx, p));
    sendLines(p.conf.host, p.conf.port, lines, { useTcp: p.conf.use_tcp, packetSize: p.conf.udp_packet_size }, p.fail);
  },
};
