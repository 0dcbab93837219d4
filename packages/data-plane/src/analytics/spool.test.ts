import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { TrafficRecorder } from './recorder';
import { StatsSpool } from './spool';
import { StatsShipper, type StatsLink } from './shipper';

const log = pino({ level: 'silent' });

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-spool-'));
}

function countRequests(recorder: TrafficRecorder, n: number, status = 200): void {
  for (let i = 0; i < n; i++) recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status, latencyMs: 1 + i, upstreamLatencyMs: 1 });
}

describe('stats delivery', () => {
  it('counts requests into one bucket per minute, route, service, consumer and status', () => {
    const recorder = new TrafficRecorder(() => 120_000);
    countRequests(recorder, 30, 200);
    countRequests(recorder, 7, 503);
    const buckets = recorder.drain();
    expect(buckets.map((b) => [b.status, b.count, b.minute])).toEqual([
      [200, 30, 120],
      [503, 7, 120],
    ]);
    expect(buckets[0]?.latency_max).toBe(30);
    expect(recorder.drain()).toEqual([]);
  });

  it('keeps batches on disk until acknowledged, across a restart, oldest first', () => {
    const dir = tempDir();
    const spool = new StatsSpool(dir, 10_000_000, log);
    const recorder = new TrafficRecorder();
    countRequests(recorder, 3);
    const first = spool.add(recorder.drain());
    countRequests(recorder, 4);
    const second = spool.add(recorder.drain());
    const reopened = new StatsSpool(dir, 10_000_000, log);
    expect(reopened.pending().map((b) => b.batch_id)).toEqual([first?.batch_id, second?.batch_id]);
    reopened.ack(first!.batch_id);
    expect(new StatsSpool(dir, 10_000_000, log).pending().map((b) => b.batch_id)).toEqual([second?.batch_id]);
  });

  it('drops the oldest batches past its size bound', () => {
    const spool = new StatsSpool(tempDir(), 700, log);
    const recorder = new TrafficRecorder();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      countRequests(recorder, 1);
      ids.push(spool.add(recorder.drain())!.batch_id);
    }
    const left = spool.pending().map((b) => b.batch_id);
    expect(left.length).toBeLessThan(5);
    expect(left).toEqual(ids.slice(ids.length - left.length));
  });

  it('sends batches while connected, resends unacknowledged ones after a reconnect', () => {
    const sent: string[] = [];
    let up = false;
    const link: StatsLink = { connected: () => up, send: (m) => (sent.push(m.batch_id), true) };
    const recorder = new TrafficRecorder();
    const spool = new StatsSpool(tempDir(), 10_000_000, log);
    const shipper = new StatsShipper(recorder, spool, link, { flushIntervalMs: 60_000, sendIntervalMs: 60_000, maxInFlight: 8, ackTimeoutMs: 60_000 }, log);
    countRequests(recorder, 2);
    shipper.flush();
    expect(sent).toHaveLength(0); // CP down: kept on disk
    up = true;
    shipper.onConnected();
    expect(sent).toHaveLength(1);
    shipper.onConnected(); // reconnect before the ack: sent again
    expect(sent).toEqual([sent[0], sent[0]]);
    shipper.onAck(sent[0]!);
    expect(spool.size).toBe(0);
  });
});
