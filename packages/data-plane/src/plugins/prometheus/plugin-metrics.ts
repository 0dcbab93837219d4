import type { MetricFamily } from '../../status/metrics';

/** Latency buckets of Kong's prometheus plugin, in milliseconds. */
const BUCKETS_MS = [1, 2, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 30000, 60000];

type Labels = Record<string, string>;

interface Counter {
  labels: Labels;
  value: number;
  /** When its service/route left the config (ms), else null: shown at one more scrape, then dropped. */
  retiredAt: number | null;
}

interface Histogram {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
  retiredAt: number | null;
}

/** A retired series nobody scraped is dropped at the first swap this long after it was retired. */
const UNSCRAPED_RETIRED_MS = 10 * 60_000;

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
 * Cumulative for as long as their service and route are in the config;
 * `collect` is registered with the DP's `/metrics`, after its own
 * `gatehouse_*` series. Series of a removed route or service are retired at
 * the swap (`retainOnly`), shown by one more `collect` with their final
 * values, then dropped (or dropped unscraped after UNSCRAPED_RETIRED_MS), so
 * config churn cannot grow them without bound (docs/PLUGINS.md, "prometheus").
 */
export class PluginMetrics {
  private readonly counters = new Map<string, Map<string, Counter>>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();

  /** Adds `n` to a counter series. */
  inc(metric: string, labels: Labels, n = 1): void {
    let series = this.counters.get(metric);
    if (series === undefined) this.counters.set(metric, (series = new Map<string, Counter>()));
    const key = keyOf(labels);
    const c = series.get(key);
    if (c === undefined) series.set(key, { labels, value: n, retiredAt: null });
    else c.value += n;
  }

  /** Records one observation (milliseconds) in a histogram series. */
  observe(metric: string, labels: Labels, ms: number): void {
    let series = this.histograms.get(metric);
    if (series === undefined) this.histograms.set(metric, (series = new Map<string, Histogram>()));
    const key = keyOf(labels);
    let h = series.get(key);
    if (h === undefined) series.set(key, (h = { labels, buckets: new Array<number>(BUCKETS_MS.length).fill(0), sum: 0, count: 0, retiredAt: null }));
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= (BUCKETS_MS[i] ?? Infinity)) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    h.sum += ms;
    h.count++;
  }

  /**
   * After a config swap: `isLive(labels)` says which series a request can
   * still add to (its service, route and consumer are in the config). The others are retired (a live one is
   * un-retired: its route came back); retired series older than
   * UNSCRAPED_RETIRED_MS are dropped now.
   */
  retainOnly(isLive: (labels: Labels) => boolean, now = Date.now()): void {
    for (const family of [...this.counters.values(), ...this.histograms.values()]) {
      for (const [key, series] of family as Map<string, Counter | Histogram>) {
        if (isLive(series.labels)) series.retiredAt = null;
        else if (series.retiredAt === null) series.retiredAt = now;
        else if (now - series.retiredAt >= UNSCRAPED_RETIRED_MS) family.delete(key);
      }
    }
  }

  /** How many series are held (all metrics), retired ones included. */
  get seriesCount(): number {
    let n = 0;
    for (const family of [...this.counters.values(), ...this.histograms.values()]) n += family.size;
    return n;
  }

  /** The series recorded so far, as metric families for the DP's `/metrics`; retired series are shown this once, then dropped. */
  collect(): MetricFamily[] {
    const families = this.families();
    for (const family of [...this.counters.values(), ...this.histograms.values()]) {
      for (const [key, series] of family as Map<string, Counter | Histogram>) if (series.retiredAt !== null) family.delete(key);
    }
    return families;
  }

  private families(): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const [name, series] of this.counters) {
      families.push({ name, help: HELP[name] ?? name, type: 'counter', samples: [...series.values()].map((c) => ({ labels: c.labels, value: c.value })) });
    }
    for (const [name, series] of this.histograms) {
      const samples: MetricFamily['samples'] = [];
      for (const h of series.values()) {
        BUCKETS_MS.forEach((le, i) => samples.push({ suffix: '_bucket', labels: { ...h.labels, le: String(le) }, value: h.buckets[i] ?? 0 }));
        samples.push({ suffix: '_bucket', labels: { ...h.labels, le: '+Inf' }, value: h.count });
        samples.push({ suffix: '_sum', labels: h.labels, value: h.sum });
        samples.push({ suffix: '_count', labels: h.labels, value: h.count });
      }
      families.push({ name, help: HELP[name] ?? name, type: 'histogram', samples });
    }
    return families;
  }
}
