import { bucketIndex, mergeHistogram, type StatsBucket } from '@gatehouse/protocol';

/** One finished request, as the proxy reports it. */
export interface RequestRecord {
  routeId: string | null;
  serviceId: string | null;
  consumerId: string | null;
  status: number;
  /** Time from the request's arrival to the end of the answer, in ms. */
  latencyMs: number;
  /** Time spent waiting on the upstream, in ms; null when no upstream was called. */
  upstreamLatencyMs: number | null;
  /** A stream session's bytes from the client and to it (docs/PROXY.md, Streams); HTTP requests leave them out. */
  bytesIn?: number;
  bytesOut?: number;
}

/** Nested maps route → service → consumer → status, for lookups without building a key string. */
type BucketIndex = Map<string, Map<string, Map<string, Map<number, StatsBucket>>>>;

function keyOf(minute: number, routeId: string | null, serviceId: string | null, consumerId: string | null, status: number): string {
  return `${minute}|${routeId ?? ''}|${serviceId ?? ''}|${consumerId ?? ''}|${status}`;
}

/**
 * Counts proxied requests into per-minute buckets keyed by route, gateway
 * service, consumer and status code. `record` is on the proxy's hot path: it
 * finds the current minute's bucket through nested maps keyed by the very id
 * strings of the compiled config (their hashes are cached by V8), so a
 * request allocates nothing; the string-keyed map stays the one store that
 * `merge` and `drain` use. `drain` hands the buckets over (to the spool that
 * delivers them) and starts afresh.
 */
export class TrafficRecorder {
  private buckets = new Map<string, StatsBucket>();
  private index: BucketIndex = new Map();
  private indexMinute = -1;

  constructor(private readonly now: () => number = Date.now) {}

  record(r: RequestRecord): void {
    const minute = Math.floor(this.now() / 60_000) * 60;
    const b = this.bucketFor(minute, r.routeId, r.serviceId, r.consumerId, r.status);
    b.count++;
    b.latency_sum += r.latencyMs;
    if (r.latencyMs > b.latency_max) b.latency_max = r.latencyMs;
    const li = bucketIndex(r.latencyMs);
    b.latency_hist[li] = (b.latency_hist[li] ?? 0) + 1;
    if (r.upstreamLatencyMs !== null) {
      b.upstream_latency_sum += r.upstreamLatencyMs;
      if (r.upstreamLatencyMs > b.upstream_latency_max) b.upstream_latency_max = r.upstreamLatencyMs;
      const ui = bucketIndex(r.upstreamLatencyMs);
      b.upstream_latency_hist[ui] = (b.upstream_latency_hist[ui] ?? 0) + 1;
    }
    if (r.bytesIn !== undefined) b.bytes_in = (b.bytes_in ?? 0) + r.bytesIn;
    if (r.bytesOut !== undefined) b.bytes_out = (b.bytes_out ?? 0) + r.bytesOut;
  }

  private bucketFor(minute: number, routeId: string | null, serviceId: string | null, consumerId: string | null, status: number): StatsBucket {
    if (minute !== this.indexMinute) {
      this.index = new Map();
      this.indexMinute = minute;
    }
    const byService = getOrAdd(this.index, routeId ?? '', () => new Map<string, Map<string, Map<number, StatsBucket>>>());
    const byConsumer = getOrAdd(byService, serviceId ?? '', () => new Map<string, Map<number, StatsBucket>>());
    const byStatus = getOrAdd(byConsumer, consumerId ?? '', () => new Map<number, StatsBucket>());
    let b = byStatus.get(status);
    if (b !== undefined) return b;
    const key = keyOf(minute, routeId, serviceId, consumerId, status);
    b = this.buckets.get(key);
    if (b === undefined) {
      b = {
        minute,
        route_id: routeId,
        service_id: serviceId,
        consumer_id: consumerId,
        status,
        count: 0,
        latency_sum: 0,
        latency_max: 0,
        latency_hist: {},
        upstream_latency_sum: 0,
        upstream_latency_max: 0,
        upstream_latency_hist: {},
      };
      this.buckets.set(key, b);
    }
    byStatus.set(status, b);
    return b;
  }

  /**
   * Adds buckets counted elsewhere (a proxy worker process) into this
   * recorder's, so one DP ships one set of counts however many processes proxied.
   */
  merge(buckets: readonly StatsBucket[]): void {
    for (const from of buckets) {
      const key = keyOf(from.minute, from.route_id, from.service_id, from.consumer_id, from.status);
      const b = this.buckets.get(key);
      if (b === undefined) {
        this.buckets.set(key, { ...from, latency_hist: { ...from.latency_hist }, upstream_latency_hist: { ...from.upstream_latency_hist } });
        continue;
      }
      b.count += from.count;
      b.latency_sum += from.latency_sum;
      b.latency_max = Math.max(b.latency_max, from.latency_max);
      mergeHistogram(b.latency_hist, from.latency_hist);
      b.upstream_latency_sum += from.upstream_latency_sum;
      b.upstream_latency_max = Math.max(b.upstream_latency_max, from.upstream_latency_max);
      mergeHistogram(b.upstream_latency_hist, from.upstream_latency_hist);
      if (from.bytes_in !== undefined) b.bytes_in = (b.bytes_in ?? 0) + from.bytes_in;
      if (from.bytes_out !== undefined) b.bytes_out = (b.bytes_out ?? 0) + from.bytes_out;
    }
  }

  /** Every bucket counted so far, left in place (to be written out, then counted into further). */
  snapshot(): StatsBucket[] {
    return [...this.buckets.values()];
  }

  /** Takes every bucket counted so far; the recorder starts empty again. */
  drain(): StatsBucket[] {
    if (this.buckets.size === 0) return [];
    const out = [...this.buckets.values()];
    this.buckets = new Map();
    this.index = new Map();
    return out;
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
