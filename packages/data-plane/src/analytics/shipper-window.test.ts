import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { TrafficRecorder } from './recorder';
import { StatsSpool } from './spool';
import { StatsShipper, type StatsLink } from './shipper';

const log = pino({ level: 'silent' });
const count = (buckets: readonly { count: number }[]): number => buckets.reduce((n, b) => n + b.count, 0);

// Issue #14 finding 9: counts reach the disk every flush interval (1 s) while the CP still gets one batch per send interval (5 s).
describe('stats flushed every second, sent every five', () => {
  afterEach(() => jest.useRealTimers());

  function setUp(): { dir: string; recorder: TrafficRecorder; shipper: StatsShipper; sent: { batch_id: string; buckets: { count: number }[] }[] } {
    jest.useFakeTimers({ now: 1_000_000 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-window-'));
    const sent: { batch_id: string; buckets: { count: number }[] }[] = [];
    const link: StatsLink = { connected: () => true, send: (m) => (sent.push(m), true) };
    const recorder = new TrafficRecorder();
    const shipper = new StatsShipper(
      recorder,
      new StatsSpool(dir, 10_000_000, log),
      link,
      { flushIntervalMs: 1000, sendIntervalMs: 5000, maxInFlight: 8, ackTimeoutMs: 20_000 },
      log,
    );
    return { dir, recorder, shipper, sent };
  }
  const requests = (recorder: TrafficRecorder, n: number): void => {
    for (let i = 0; i < n; i++) recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status: 200, latencyMs: 1, upstreamLatencyMs: 1 });
  };
  /** What a DP restarted after a kill -9 would find: the batches on disk. */
  const onDisk = (dir: string): number[] => new StatsSpool(dir, 10_000_000, log).pending().map((b) => count(b.buckets));

  it('has every count on disk within one flush interval, rewriting one open batch rather than adding files', async () => {
    const { dir, recorder, shipper, sent } = setUp();
    shipper.start();
    requests(recorder, 3);
    jest.advanceTimersByTime(1000);
    await shipper.idle();
    expect(onDisk(dir)).toEqual([3]);
    requests(recorder, 2);
    jest.advanceTimersByTime(1000);
    await shipper.idle();
    expect(onDisk(dir)).toEqual([5]); // the same batch, rewritten whole: never 3 and 5 (counted twice)
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    expect(sent).toHaveLength(0); // the open batch is not sent while it still changes
    await shipper.stop();
  });

  it('sends one batch per send interval under steady traffic, with every count in it', async () => {
    const { dir, recorder, shipper, sent } = setUp();
    shipper.start();
    for (let t = 0; t < 20_000; t += 100) {
      requests(recorder, 1);
      jest.advanceTimersByTime(100);
      await shipper.idle();
    }
    // 20 s of traffic: 3 batches closed (at 5, 10, 15 s, each sent at once); the fourth is still open.
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(new Set(sent.map((b) => b.batch_id)).size).toBe(sent.length);
    await shipper.stop();
    const total = onDisk(dir).reduce((a, b) => a + b, 0);
    expect(total).toBe(200);
    expect(sent.reduce((n, b) => n + count(b.buckets), 0)).toBeLessThanOrEqual(200);
  });

  it('writes the last counts on stop, before the next tick', async () => {
    const { dir, recorder, shipper } = setUp();
    shipper.start();
    requests(recorder, 7);
    await shipper.stop();
    expect(onDisk(dir)).toEqual([7]);
  });
});
