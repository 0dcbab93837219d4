import { TrafficRecorder, type RequestRecord } from './recorder';

const request = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  routeId: 'r1',
  serviceId: 's1',
  consumerId: null,
  status: 200,
  latencyMs: 2,
  upstreamLatencyMs: 1,
  ...overrides,
});

describe('TrafficRecorder', () => {
  it('keeps one bucket per minute, route, service, consumer and status across its lookup index', () => {
    let now = 120_000;
    const recorder = new TrafficRecorder(() => now);
    recorder.record(request());
    recorder.record(request());
    recorder.record(request({ status: 404, upstreamLatencyMs: null }));
    recorder.record(request({ consumerId: 'c1' }));
    now = 180_000; // the next minute
    recorder.record(request());
    const buckets = recorder.drain();
    expect(buckets.map((b) => [b.minute, b.route_id, b.consumer_id, b.status, b.count])).toEqual([
      [120, 'r1', null, 200, 2],
      [120, 'r1', null, 404, 1],
      [120, 'r1', 'c1', 200, 1],
      [180, 'r1', null, 200, 1],
    ]);
    expect(buckets[1]?.upstream_latency_sum).toBe(0);
  });

  it('starts afresh after a drain, and counts into buckets a merge brought in', () => {
    const now = 120_000;
    const recorder = new TrafficRecorder(() => now);
    recorder.record(request());
    expect(recorder.drain()).toHaveLength(1);
    recorder.record(request());
    const other = new TrafficRecorder(() => now);
    other.record(request({ status: 500 }));
    recorder.merge(other.drain());
    recorder.record(request({ status: 500 }));
    recorder.record(request());
    const counts = Object.fromEntries(recorder.drain().map((b) => [b.status, b.count]));
    expect(counts).toEqual({ 200: 2, 500: 2 });
    expect(recorder.drain()).toEqual([]);
  });
});
