import type { Logger } from 'pino';
import path from 'node:path';
import type { StatsBucket } from '@gatehouse/protocol';
import { TrafficRecorder, type RequestRecord } from './recorder';
import { StatsSpool } from './spool';
import { StatsShipper, type StatsLink } from './shipper';
import { PrometheusMetrics, type NameLookup } from './metrics';

export type { RequestRecord, StatsLink, NameLookup };

export interface AnalyticsOptions {
  /** GATEHOUSE_DP_DIR: unacknowledged batches live in its `stats/` folder. */
  dpDir: string;
  enabled: boolean;
  /** How often counts are written to the spool (the most a kill -9 can lose). */
  flushIntervalMs: number;
  /** How often a batch is sent to the CP (one batch per interval, however often the spool is written). */
  sendIntervalMs: number;
  maxSpoolBytes: number;
}

/**
 * The DP's traffic analytics: the proxy calls `record` once per finished
 * request; counts reach the CP as `stats` batches (see StatsShipper) and
 * `/metrics` as Prometheus text. With `enabled` false nothing is counted:
 * attachAnalytics registers no observer and `merge` ignores workers' buckets.
 */
export class Analytics {
  readonly recorder = new TrafficRecorder();
  readonly metrics = new PrometheusMetrics();
  private shipper: StatsShipper | undefined;
  private readonly spool: StatsSpool;

  constructor(
    private readonly options: AnalyticsOptions,
    private readonly log: Logger,
  ) {
    this.spool = new StatsSpool(path.join(options.dpDir, 'stats'), options.maxSpoolBytes, log);
  }

  record(r: RequestRecord): void {
    this.recorder.record(r);
    this.metrics.observe(r);
  }

  /** Adds buckets counted by a proxy worker process (to the CP's counts and to `/metrics`). */
  merge(buckets: readonly StatsBucket[]): void {
    if (!this.options.enabled) return;
    this.recorder.merge(buckets);
    for (const b of buckets) this.metrics.merge(b);
  }

  /** Starts delivering batches over the cluster link (called once the cluster client exists). */
  connect(link: StatsLink): StatsShipper {
    const { flushIntervalMs } = this.options;
    const sendIntervalMs = Math.max(flushIntervalMs, this.options.sendIntervalMs);
    this.shipper = new StatsShipper(
      this.recorder,
      this.spool,
      link,
      { flushIntervalMs, sendIntervalMs, maxInFlight: 8, ackTimeoutMs: Math.max(10_000, 4 * sendIntervalMs) },
      this.log,
    );
    this.shipper.start();
    return this.shipper;
  }

  /** Batches waiting for the CP's acknowledgement. */
  get pendingBatches(): number {
    return this.spool.size;
  }

  /**
   * Writes what was counted to disk now, ahead of the next flush: when a
   * proxy worker has handed over its last counts (it stopped, or a reload
   * retired it), so they survive a kill that comes before the next tick.
   * Resolves once they are on disk.
   */
  async persist(): Promise<void> {
    if (this.shipper) await this.shipper.persist();
    else this.spool.add(this.recorder.drain());
  }

  /** Writes the last counts to disk. */
  async stop(): Promise<void> {
    if (this.shipper) await this.shipper.stop();
    else this.spool.add(this.recorder.drain());
  }
}
