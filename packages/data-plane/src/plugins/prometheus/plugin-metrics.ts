import type { MetricFamily } from '../../status/metrics';

/** Latency buckets of Kong's prometheus plugin, in milliseconds. */
const BUCKETS_MS = [1, 2, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 30000, 60000];

type Labels = Record<string, string>;

interface Counter {
  labels: Labels;
  value: number;
}

interface Histogram {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

const HELP: Record<string, string> = {
  kong_http_requests_total: 'HTTP status codes per consumer/service/route in Kong',
  kong_bandwidth_bytes: 'Total bandwidth (ingress/egress) throughput in bytes',
  kong_request_latency_ms: 'Total latency incurred during requests for each service/route in Kong',
  kong_upstream_latency_ms: 'Latency added by upstream response for each service/route in Kong',
  kong_kong_latency_ms: 'Latency added by Kong and enabled plugins for each service/route in Kong',
};

/** One key per label set; label order is fixed by the caller. */
const keyOf = (labels: Labels): string => JSON.stringify(labels);

/**
 * The series the prometheus plugin adds, with Kong's names:
 * `kong_http_requests_total`, `kong_request_latency_ms`,
 * `kong_upstream_latency_ms`, `kong_kong_latency_ms`, `kong_bandwidth_bytes`.
 * Cumulative for the life of the DP; `collect` is registered with the DP's
 * `/metrics`, after its own `gatehouse_*` series.
 */
export class PluginMetrics {
  private readonly counters = new Map<string, Map<string, Counter>>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();

  /** Adds `n` to a counter series. */
  inc(metric: string, labels: Labels, n = 1): void {
    let series = this.counters.get(metric);
    if (series === undefined) this.counters.set(metric, (series = new Map()));
    const key = keyOf(labels);
    const c = series.get(key);
    if (c === undefined) series.set(key, { labels, value: n });
    else c.value += n;
  }

  /** Records one observation (milliseconds) in a histogram series. */
  observe(metric: string, labels: Labels, ms: number): void {
    let series = this.histograms.get(metric);
    if (series === undefined) this.histograms.set(metric, (series = new Map()));
    const key = keyOf(labels);
    let h = series.get(key);
    if (h === undefined) series.set(key, (h = { labels, buckets: new Array<number>(BUCKETS_MS.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= (BUCKETS_MS[i]!)) h.buckets[i] = (h.buckets[i]!) + 1;
    h.sum += ms;
    h.count++;
  }

  /** The series recorded so far, as metric families for the DP's `/metrics`. */
  collect(): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const [name, series] of this.counters) {
      families.push({ name, help: HELP[name] ?? name, type: 'counter', samples: [...series.values()].map((c) => ({ labels: c.labels, value: c.value })) });
    }
    for (const [name, series] of this.histograms) {
      const samples: MetricFamily['samples'] = [];
      for (const h of series.values()) {
        BUCKETS_MS.forEach((le, i) => samples.push({ suffix: '_bucket', labels: { ...h.labels, le: String(le) }, value: h.buckets[i]! }));
        samples.push({ suffix: '_bucket', labels: { ...h.labels, le: '+Inf' }, value: h.count });
        samples.push({ suffix: '_sum', labels: h.labels, value: h.sum });
        samples.push({ suffix: '_count', labels: h.labels, value: h.count });
      }
      families.push({ name, help: HELP[name] ?? name, type: 'histogram', samples });
    }
    return families;
  }
}
