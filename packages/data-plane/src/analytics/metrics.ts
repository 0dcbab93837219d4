import { bucketValue, type StatsBucket } from '@gatehouse/protocol';
import type { MetricFamily, MetricsCollector } from '../status/metrics';
import type { RequestRecord } from './recorder';

/** Latency bucket bounds for Prometheus histograms, in milliseconds. */
const LE_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

interface Series {
  serviceId: string;
  routeId: string;
  /** When its route or service left the config (ms), else null: shown at one more scrape, then dropped. */
  retiredAt: number | null;
  requests: Map<number, number>;
  latency: Histogram;
  upstream: Histogram;
}

/** Resolves ids to the names shown as Prometheus labels. */
export type NameLookup = (kind: 'service' | 'route', id: string) => string | undefined;

/** A retired series nobody scraped is dropped at the first swap this long after it was retired. */
const UNSCRAPED_RETIRED_MS = 10 * 60_000;

const newHistogram = (): Histogram => ({ buckets: new Array<number>(LE_MS.length).fill(0), sum: 0, count: 0 });

/** Counts `n` observations of `ms` (adding `sumOf` each to the sum: 0 when the caller adds an exact sum itself). */
function observe(h: Histogram, ms: number, n = 1, sumOf = ms): void {
  for (let i = 0; i < LE_MS.length; i++) if (ms <= (LE_MS[i] ?? Infinity)) h.buckets[i] = (h.buckets[i] ?? 0) + n;
  h.sum += sumOf * n;
  h.count += n;
}

/**
 * Cumulative request counters and latency histograms for the DP's `/metrics`
 * (`gatehouse_http_requests_total{service,route,code}`,
 * `gatehouse_request_latency_ms`, `gatehouse_upstream_latency_ms`), so
 * Grafana can read the same numbers the CP gets. Labels are names where the
 * entity has one, else its id. Series of routes and services that left the
 * config are retired at the swap (`retainOnly`), shown by one more scrape
 * with their final values and then dropped (docs/PLUGINS.md, "prometheus").
 */
export class PrometheusMetrics {
  private readonly series = new Map<string, Map<string, Series>>();

  /**
   * After a config swap: series whose (service id, route id) `isLive` denies
   * are retired (a live one is un-retired); retired series nobody scraped are
   * dropped at the first swap UNSCRAPED_RETIRED_MS after.
   */
  retainOnly(isLive: (serviceId: string, routeId: string) => boolean, now = Date.now()): void {
    for (const [service, byRoute] of this.series) {
      for (const [route, s] of byRoute) {
        if (isLive(service, route)) s.retiredAt = null;
        else if (s.retiredAt === null) s.retiredAt = now;
        else if (now - s.retiredAt >= UNSCRAPED_RETIRED_MS) byRoute.delete(route);
      }
      if (byRoute.size === 0) this.series.delete(service);
    }
  }

  /** How many (service, route) series are held, retired ones included. */
  get seriesCount(): number {
    let n = 0;
    for (const byRoute of this.series.values()) n += byRoute.size;
    return n;
  }

  observe(r: RequestRecord): void {
    const s = this.seriesOf(r.serviceId, r.routeId);
    s.requests.set(r.status, (s.requests.get(r.status) ?? 0) + 1);
    observe(s.latency, r.latencyMs);
    if (r.upstreamLatencyMs !== null) observe(s.upstream, r.upstreamLatencyMs);
  }

  /**
   * Adds a bucket counted by a proxy worker process. Its latencies arrive as
   * log-scale histograms, so each lands in the Prometheus bucket of its
   * bin's middle value (within the histogram's 5%).
   */
  merge(b: StatsBucket): void {
    const s = this.seriesOf(b.service_id, b.route_id);
    s.requests.set(b.status, (s.requests.get(b.status) ?? 0) + b.count);
    for (const [index, n] of Object.entries(b.latency_hist)) observe(s.latency, bucketValue(Number(index)), n, 0);
    s.latency.sum += b.latency_sum;
    for (const [index, n] of Object.entries(b.upstream_latency_hist)) observe(s.upstream, bucketValue(Number(index)), n, 0);
    s.upstream.sum += b.upstream_latency_sum;
  }

  /** Keyed service → route by the compiled config's own id strings (hashes cached by V8): no key string per request. */
  private seriesOf(serviceId: string | null, routeId: string | null): Series {
    const service = serviceId ?? '';
    const route = routeId ?? '';
    let byRoute = this.series.get(service);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.series.set(service, byRoute);
    }
    let s = byRoute.get(route);
    if (s === undefined) {
      s = { serviceId: service, routeId: route, retiredAt: null, requests: new Map(), latency: newHistogram(), upstream: newHistogram() };
      byRoute.set(route, s);
    }
    return s;
  }

  /** A collector for the status server's MetricsRegistry; retired series are shown this once, then dropped. */
  collector(names: NameLookup): MetricsCollector {
    return () => {
      const families = this.families(names);
      for (const [service, byRoute] of this.series) {
        for (const [route, s] of byRoute) if (s.retiredAt !== null) byRoute.delete(route);
        if (byRoute.size === 0) this.series.delete(service);
      }
      return families;
    };
  }

  private families(names: NameLookup): MetricFamily[] {
    const labelsOf = (s: Series): Record<string, string> => ({
      service: s.serviceId === '' ? '' : (names('service', s.serviceId) ?? s.serviceId),
      route: s.routeId === '' ? '' : (names('route', s.routeId) ?? s.routeId),
    });
    const requests: MetricFamily = {
      name: 'gatehouse_http_requests_total',
      help: 'Requests proxied, by gateway service, route and status code.',
      type: 'counter',
      samples: [],
    };
    const latency: MetricFamily = { name: 'gatehouse_request_latency_ms', help: 'Total request latency in milliseconds.', type: 'histogram', samples: [] };
    const upstream: MetricFamily = {
      name: 'gatehouse_upstream_latency_ms',
      help: 'Time waiting on the upstream in milliseconds.',
      type: 'histogram',
      samples: [],
    };
    for (const s of [...this.series.values()].flatMap((byRoute) => [...byRoute.values()])) {
      const labels = labelsOf(s);
      for (const [code, n] of s.requests) requests.samples.push({ labels: { ...labels, code: String(code) }, value: n });
      for (const [family, h] of [
        [latency, s.latency],
        [upstream, s.upstream],
      ] as const) {
        if (h.count === 0) continue;
        LE_MS.forEach((le, i) => family.samples.push({ suffix: '_bucket', labels: { ...labels, le: String(le) }, value: h.buckets[i] ?? 0 }));
        family.samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: h.count });
        family.samples.push({ suffix: '_sum', labels, value: h.sum });
        family.samples.push({ suffix: '_count', labels, value: h.count });
      }
    }
    return [requests, latency, upstream];
  }
}
