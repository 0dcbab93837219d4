import { PrometheusMetrics } from './metrics';
import { TrafficRecorder, type RequestRecord } from './recorder';

const now = (): number => 1_700_000_000_000;

function records(): RequestRecord[] {
  return Array.from({ length: 40 }, (_, i) => ({
    routeId: i % 3 === 0 ? null : 'r1',
    serviceId: 's1',
    consumerId: i % 5 === 0 ? 'c1' : null,
    status: i % 4 === 0 ? 404 : 200,
    latencyMs: i * 3,
    upstreamLatencyMs: i % 3 === 0 ? null : i,
  }));
}

describe('merging worker counts (GATEHOUSE_WORKERS > 1)', () => {
  it('gives the same buckets as one recorder that saw every request', () => {
    const whole = new TrafficRecorder(now);
    const parts = [new TrafficRecorder(now), new TrafficRecorder(now)];
    records().forEach((r, i) => {
      whole.record(r);
      parts[i % 2]?.record(r);
    });
    const merged = new TrafficRecorder(now);
    for (const p of parts) merged.merge(p.drain());
    const key = (b: { route_id: string | null; consumer_id: string | null; status: number }): string => `${b.route_id}|${b.consumer_id}|${b.status}`;
    const sort = <T extends { route_id: string | null; consumer_id: string | null; status: number }>(bs: T[]): T[] =>
      bs.sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(merged.drain())).toEqual(sort(whole.drain()));
  });

  it('adds merged buckets to the /metrics request counters', () => {
    const recorder = new TrafficRecorder(now);
    for (const r of records()) recorder.record(r);
    const metrics = new PrometheusMetrics();
    for (const b of recorder.drain()) metrics.merge(b);
    const families = metrics.collector(() => undefined)();
    const requests = families.find((f) => f.name === 'gatehouse_http_requests_total');
    expect(requests?.samples.reduce((s, x) => s + x.value, 0)).toBe(40);
    const count = families
      .find((f) => f.name === 'gatehouse_request_latency_ms')
      ?.samples.filter((s) => s.suffix === '_count')
      .reduce((s, x) => s + x.value, 0);
    expect(count).toBe(40);
  });
});
