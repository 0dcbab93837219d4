import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { TrafficRecorder } from './recorder';
import { StatsSpool } from './spool';
import { StatsShipper, type StatsLink } from './shipper';

// Regressions found by test/faults: postgres-restart (with the CP's database down the connection
// stays up but nothing is acknowledged; the batches in flight then blocked every later one until
// a reconnection that never came) and disk-full (counts the spool could not write were dropped).
describe('stats delivery through faults', () => {
  afterEach(() => jest.useRealTimers());

  it('sends a batch again once its ack is overdue, on the same connection, and later batches get through', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const sent: string[] = [];
    const link: StatsLink = { connected: () => true, send: (m) => (sent.push(m.batch_id), true) };
    const recorder = new TrafficRecorder();
    const spool = new StatsSpool(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ack-')), 10_000_000, pino({ level: 'silent' }));
    const shipper = new StatsShipper(
      recorder,
      spool,
      link,
      { flushIntervalMs: 1000, sendIntervalMs: 5000, maxInFlight: 1, ackTimeoutMs: 10_000 },
      pino({ level: 'silent' }),
    );
    recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status: 200, latencyMs: 1, upstreamLatencyMs: 1 });
    shipper.flush();
    recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status: 500, latencyMs: 1, upstreamLatencyMs: 1 });
    shipper.flush();
    expect(sent).toHaveLength(1); // the second waits: one in flight at most
    jest.setSystemTime(1_000_000 + 9_999);
    shipper.flush();
    expect(sent).toHaveLength(1);
    jest.setSystemTime(1_000_000 + 10_000);
    shipper.flush();
    expect(sent).toEqual([sent[0], sent[0]]); // overdue: the same batch again
    shipper.onAck(sent[0]!);
    expect(sent).toHaveLength(3); // and then the next one
    expect(sent[2]).not.toBe(sent[0]);
  });

  it('keeps the counts in memory when the spool cannot be written, and writes them with the next flush', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-full-'));
    const sent: { batch_id: string; buckets: { count: number }[] }[] = [];
    const link: StatsLink = { connected: () => true, send: (m) => (sent.push(m), true) };
    const recorder = new TrafficRecorder();
    const spool = new StatsSpool(dir, 10_000_000, pino({ level: 'silent' }));
    const shipper = new StatsShipper(
      recorder,
      spool,
      link,
      { flushIntervalMs: 1000, sendIntervalMs: 5000, maxInFlight: 8, ackTimeoutMs: 10_000 },
      pino({ level: 'silent' }),
    );
    for (let i = 0; i < 3; i++) recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status: 200, latencyMs: 1, upstreamLatencyMs: 1 });
    // The spool's directory is gone: every write fails, as on a full or read-only disk.
    fs.rmSync(dir, { recursive: true });
    shipper.flush();
    expect(sent).toHaveLength(0);
    recorder.record({ routeId: 'r', serviceId: 's', consumerId: null, status: 200, latencyMs: 1, upstreamLatencyMs: 1 });
    fs.mkdirSync(dir);
    shipper.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.buckets.reduce((n, b) => n + b.count, 0)).toBe(4);
  });
});
