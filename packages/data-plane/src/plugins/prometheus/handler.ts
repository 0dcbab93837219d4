import type { PluginContext } from '../context';
import type { PluginHandler, PrepareEnv } from '../types';
import type { PluginRuntime } from '../runtime';
import { seriesKey } from '../../engine/live-entities';
import { PluginMetrics } from './plugin-metrics';
import type { PrometheusConfig } from './schema';

interface Prepared {
  conf: PrometheusConfig;
  metrics: PluginMetrics;
  names: PrepareEnv['names'];
}

/**
 * The plugin's series, shared by every instance for the life of the DP
 * (register `collect` with `/metrics`); at each config swap the series of
 * removed routes and services are retired (PluginMetrics).
 */
export function prometheusMetrics(runtime: PluginRuntime): PluginMetrics {
  return runtime.singleton('prometheus:metrics', () => {
    const metrics = new PluginMetrics();
    runtime.onSwap((live) =>
      metrics.retainOnly(
        (labels) =>
          live.seriesByLabel.has(seriesKey(labels.service ?? '', labels.route ?? '')) &&
          (labels.consumer === undefined || labels.consumer === '' || live.consumerLabels.has(labels.consumer)),
      ),
    );
    return metrics;
  });
}

function byteCount(v: unknown): number {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function record(ctx: PluginContext, p: Prepared): void {
  const { conf, metrics } = p;
  const service = ctx.serviceId === null ? '' : (p.names.service(ctx.serviceId) ?? ctx.serviceId);
  const route = ctx.routeId === null ? '' : (p.names.route(ctx.routeId) ?? ctx.routeId);
  const consumer: Record<string, string> = conf.per_consumer ? { consumer: ctx.consumer?.username ?? ctx.consumer?.id ?? '' } : {};
  const total = performance.now() - ctx.startedAt;
  if (conf.status_code_metrics) {
    const source = ctx.exitResponse !== null ? 'kong' : 'service';
    metrics.inc('kong_http_requests_total', { service, route, code: String(ctx.status), source, workspace: 'default', ...consumer });
  }
  if (conf.latency_metrics) {
    const labels = { service, route, workspace: 'default' };
    metrics.observe('kong_request_latency_ms', labels, total);
    if (ctx.upstreamLatencyMs !== null && ctx.upstreamLatencyMs >= 0) {
      metrics.observe('kong_upstream_latency_ms', labels, ctx.upstreamLatencyMs);
      metrics.observe('kong_kong_latency_ms', labels, Math.max(0, total - ctx.upstreamLatencyMs));
    } else metrics.observe('kong_kong_latency_ms', labels, total);
  }
  if (conf.bandwidth_metrics) {
    metrics.inc('kong_bandwidth_bytes', { service, route, direction: 'ingress', workspace: 'default', ...consumer }, byteCount(ctx.headers['content-length']));
    metrics.inc(
      'kong_bandwidth_bytes',
      { service, route, direction: 'egress', workspace: 'default', ...consumer },
      byteCount(ctx.responseHeaders['content-length']),
    );
  }
}

/**
 * prometheus (priority 13): counts each request it applies to in Kong's
 * series, as its switches ask (`status_code_metrics`, `latency_metrics`,
 * `bandwidth_metrics`, `per_consumer`); the DP's `/metrics` shows them after
 * its own `gatehouse_*` series. `upstream_health_metrics` adds nothing:
 * Gatehouse has no upstream health checks.
 */
export const prometheusHandler: PluginHandler<PrometheusConfig, Prepared> = {
  name: 'prometheus',
  priority: 13,
  prepare(conf, env) {
    return { conf, metrics: prometheusMetrics(env.runtime), names: env.names };
  },
  log(ctx, p) {
    record(ctx, p);
  },
};
