import type { Logger } from 'pino';
import type { StatsBucket } from '@gatehouse/protocol';
import type { TrafficRecorder } from './recorder';
import type { StatsSpool } from './spool';

/** What the shipper needs from the cluster connection. */
export interface StatsLink {
  /** True while the connection to the CP is open and greeted. */
  connected(): boolean;
  /** Sends one message now; false when it could not be sent. */
  send(message: { type: 'stats'; batch_id: string; buckets: StatsBucket[] }): boolean;
}

export interface ShipperOptions {
  /** How often counted buckets are written to the spool and sent. */
  flushIntervalMs: number;
  /** Batches sent but not yet acknowledged, at most. */
  maxInFlight: number;
  /**
   * A batch unacknowledged this long is sent again. The CP answers nothing
   * when it cannot store a batch (its database is down) while the connection
   * stays up, so without this the batches in flight would wait for a
   * reconnection that may never come, and block every later one.
   */
  ackTimeoutMs: number;
}

/**
 * Moves counts from the recorder to the CP: every flush interval the
 * recorder's buckets become a batch on disk, and batches are sent oldest first
 * until acknowledged. A batch is deleted only on `stats_ack`; after a
 * reconnect, or when its ack is overdue, an unacknowledged batch is sent
 * again (the CP counts a batch id once, so resending is safe).
 */
export class StatsShipper {
  /** Batch id → when it was sent. */
  private readonly inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly recorder: TrafficRecorder,
    private readonly spool: StatsSpool,
    private readonly link: StatsLink,
    private readonly options: ShipperOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Writes what was counted to the spool, then sends what is waiting. When
   * the disk refuses the batch (full, read-only) the counts go back into the
   * recorder, to be written with the next flush: a full disk delays them,
   * it does not lose them.
   */
  flush(): void {
    const buckets = this.recorder.drain();
    if (buckets.length > 0 && this.spool.add(buckets) === null) this.recorder.merge(buckets);
    this.sendPending();
  }

  /**
   * The CP stored a batch, or refused it for good (`refused`: the reason, e.g.
   * buckets dated outside its clock window): either way it is deleted, so a
   * refused batch is never sent again.
   */
  onAck(batchId: string, refused?: string): void {
    if (refused !== undefined) this.log.warn({ event: 'stats_refused', batch_id: batchId, reason: refused });
    this.inFlight.delete(batchId);
    this.spool.ack(batchId);
    this.sendPending();
  }

  /** A new connection: whatever was in flight on the old one is sent again. */
  onConnected(): void {
    this.inFlight.clear();
    this.sendPending();
  }

  /** Stops the timer and writes the last counts to disk, so a clean stop loses nothing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.spool.add(this.recorder.drain());
  }

  private sendPending(): void {
    const overdue = Date.now() - this.options.ackTimeoutMs;
    for (const [id, sentAt] of this.inFlight) if (sentAt <= overdue) this.inFlight.delete(id);
    if (!this.link.connected() || this.inFlight.size >= this.options.maxInFlight) return;
    for (const batch of this.spool.pending()) {
      if (this.inFlight.size >= this.options.maxInFlight) break;
      if (this.inFlight.has(batch.batch_id)) continue;
      if (!this.link.send({ type: 'stats', batch_id: batch.batch_id, buckets: batch.buckets })) break;
      this.inFlight.set(batch.batch_id, Date.now());
      this.log.debug({ event: 'stats_sent', batch_id: batch.batch_id, buckets: batch.buckets.length });
    }
  }
}
