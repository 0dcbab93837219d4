import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { StatsBucket } from '@gatehouse/protocol';
import { TrafficRecorder } from './recorder';
import type { StatsSpool } from './spool';

/** What the shipper needs from the cluster connection. */
export interface StatsLink {
  /** True while the connection to the CP is open and greeted. */
  connected(): boolean;
  /** Sends one message now; false when it could not be sent. */
  send(message: { type: 'stats'; batch_id: string; buckets: StatsBucket[] }): boolean;
}

export interface ShipperOptions {
  /** How often counted buckets are written to the spool on disk: the most traffic a kill -9 can lose. */
  flushIntervalMs: number;
  /**
   * How often a batch is closed and sent to the CP (at least the flush
   * interval). Between sends every flush rewrites the same open batch, so the
   * CP gets one batch per send interval however often the spool is written.
   */
  sendIntervalMs: number;
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

/** The batch being filled: every count since it opened, rewritten on disk under one id at each flush. */
interface OpenBatch {
  id: string;
  counts: TrafficRecorder;
  openedAt: number;
  /** Bumped whenever counts are added. */
  version: number;
  /** The version last written to disk whole. */
  written: number;
}

const unwritten = (b: OpenBatch): boolean => b.version !== b.written;

/**
 * Moves counts from the recorder to the CP. Every flush interval the
 * recorder's buckets are added to the open batch, which is written whole to
 * the spool (one file, replaced atomically), so at most one flush interval of
 * traffic is only in memory. Every send interval the open batch is closed and
 * batches are sent oldest first until acknowledged; the open one is never
 * sent, since its content still changes. A batch is deleted only on
 * `stats_ack`; after a reconnect, or when its ack is overdue, an
 * unacknowledged batch is sent again (the CP counts a batch id once, so
 * resending is safe).
 */
export class StatsShipper {
  /** Batch id → when it was sent. */
  private readonly inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private nextTickAt = 0;
  private open: OpenBatch | null = null;
  private lastSendAt = 0;
  /** The spool write under way (one at a time: two renames of one file could land out of order). */
  private writing: Promise<void> | null = null;
  private writeAgain = false;

  constructor(
    private readonly recorder: TrafficRecorder,
    private readonly spool: StatsSpool,
    private readonly link: StatsLink,
    private readonly options: ShipperOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.nextTickAt = Date.now();
    this.schedule();
  }

  /**
   * Ticks on a fixed grid (not `setInterval`, which drifts by each tick's own
   * duration and the event loop's lag), so the time between two spool writes
   * stays the flush interval.
   */
  private schedule(): void {
    const now = Date.now();
    this.nextTickAt += this.options.flushIntervalMs;
    // Fell behind (a stalled loop): restart the grid rather than fire a burst of catch-up ticks.
    if (this.nextTickAt <= now) this.nextTickAt = now + this.options.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, this.nextTickAt - now);
    this.timer.unref();
  }

  private tick(): void {
    const now = Date.now();
    // Closed once its content is all on disk (the counts since then are still in the recorder, and open the next batch).
    const due = this.open !== null && !unwritten(this.open) && this.writing === null && now - this.open.openedAt >= this.options.sendIntervalMs;
    if (due) this.open = null;
    this.take();
    this.writeOpen();
    // Sending reads every waiting batch from disk: when a batch closes, or once per send interval (overdue acks), not at every flush.
    if (due || now - this.lastSendAt >= this.options.sendIntervalMs) this.sendPending();
  }

  /**
   * Writes what was counted to the spool now, into the open batch. When the
   * disk refuses (full, read-only) the file keeps its previous content and
   * the counts stay in the open batch, written with the next flush: a full
   * disk delays them, it does not lose them.
   */
  persist(): Promise<void> {
    this.take();
    this.writeOpen();
    return this.idle();
  }

  /** Moves the recorder's counts into the open batch. */
  private take(): void {
    const buckets = this.recorder.drain();
    if (buckets.length === 0) return;
    this.open ??= { id: randomUUID(), counts: new TrafficRecorder(), openedAt: Date.now(), version: 0, written: 0 };
    this.open.counts.merge(buckets);
    this.open.version++;
  }

  /**
   * Writes the open batch off the event loop (the fsyncs run on libuv's
   * threads, so the proxy does not wait on the disk). One write at a time;
   * counts arriving meanwhile are written right after it.
   */
  private writeOpen(): void {
    if (this.writing !== null) {
      this.writeAgain = true;
      return;
    }
    const batch = this.open;
    if (batch === null || !unwritten(batch)) return;
    const version = batch.version;
    // putAsync serializes the buckets before its first await: later counts do not leak into this write.
    this.writing = this.spool.putAsync({ batch_id: batch.id, buckets: batch.counts.snapshot() }).then((ok) => {
      if (ok) batch.written = Math.max(batch.written, version);
      this.writing = null;
      if (this.writeAgain) {
        this.writeAgain = false;
        this.writeOpen();
      }
    });
  }

  /** Resolves once no spool write is under way. */
  async idle(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** Writes what was counted (synchronously), closes the open batch and sends what is waiting, now. */
  flush(): void {
    this.take();
    // A write under way would race this one on the same file: leave the batch to it and the next tick.
    if (this.writing !== null) {
      this.writeOpen();
      return;
    }
    if (this.open !== null && unwritten(this.open) && this.spool.put({ batch_id: this.open.id, buckets: this.open.counts.snapshot() }))
      this.open.written = this.open.version;
    if (this.open !== null && !unwritten(this.open)) this.open = null;
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

  /** Stops the timer and writes the last counts to disk (after any write under way), so a clean stop loses nothing. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.writeAgain = false;
    await this.idle();
    this.take();
    const batch = this.open;
    if (batch !== null && unwritten(batch) && this.spool.put({ batch_id: batch.id, buckets: batch.counts.snapshot() })) batch.written = batch.version;
  }

  private sendPending(): void {
    this.lastSendAt = Date.now();
    const overdue = Date.now() - this.options.ackTimeoutMs;
    for (const [id, sentAt] of this.inFlight) if (sentAt <= overdue) this.inFlight.delete(id);
    if (!this.link.connected() || this.inFlight.size >= this.options.maxInFlight) return;
    for (const batch of this.spool.pending()) {
      if (this.inFlight.size >= this.options.maxInFlight) break;
      if (this.inFlight.has(batch.batch_id) || batch.batch_id === this.open?.id) continue;
      if (!this.link.send({ type: 'stats', batch_id: batch.batch_id, buckets: batch.buckets })) break;
      this.inFlight.set(batch.batch_id, Date.now());
      this.log.debug({ event: 'stats_sent', batch_id: batch.batch_id, buckets: batch.buckets.length });
    }
  }
}
