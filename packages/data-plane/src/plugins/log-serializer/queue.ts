import type { Logger } from '../../logging';
import type { QueueConfig } from './queue-schema';

/** Sends one batch; resolves true when delivered, false (or rejects) to retry it. */
export type BatchSender = (entries: string[]) => Promise<boolean>;

/**
 * Kong's plugin queue (kong/tools/queue) in one process: entries wait in
 * memory, a batch leaves when `max_batch_size` entries are there or
 * `max_coalescing_delay` seconds after its first entry; a failed batch is
 * retried with a delay doubling from `initial_retry_delay` up to
 * `max_retry_delay` until `max_retry_time` has passed, then dropped. A full
 * queue (`max_entries`, or `max_bytes` of waiting entries) drops its oldest
 * entry. Every loss is counted and logged (`log_queue_dropped`, with the
 * count); `add` never waits, so a request never waits on its log endpoint.
 */
export class LogQueue {
  private readonly waiting: string[] = [];
  private bytes = 0;
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private firstAt = 0;
  private closed = false;
  /** Entries lost since the queue was made (full queue, or retries given up). */
  dropped = 0;
  private droppedUnlogged = 0;
  private warnTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly name: string,
    private readonly conf: QueueConfig,
    private readonly send: BatchSender,
    private readonly log: Logger,
    private readonly onDrop: (n: number) => void = () => undefined,
  ) {}

  /** Queues one serialized entry (never blocks). */
  add(entry: string): void {
    const max = this.conf.max_bytes;
    if (max !== null && entry.length > max) {
      this.drop(1, 'entry larger than max_bytes');
      return;
    }
    while (this.waiting.length >= this.conf.max_entries || (max !== null && this.bytes + entry.length > max && this.waiting.length > 0)) {
      const old = this.waiting.shift() ?? '';
      this.bytes -= old.length;
      this.drop(1, 'queue full');
    }
    if (this.waiting.length === 0) this.firstAt = performance.now();
    this.waiting.push(entry);
    this.bytes += entry.length;
    this.pump();
  }

  /** Entries waiting to be sent. */
  get length(): number {
    return this.waiting.length;
  }

  /** Marks the queue as no longer in the config: it only finishes sending what it holds (nothing else references it). */
  close(): void {
    this.closed = true;
  }

  /** Whether the instance that fed it left the config. */
  get isClosed(): boolean {
    return this.closed;
  }

  private pump(): void {
    if (this.waiting.length === 0) return;
    const limit = this.conf.concurrency_limit === -1 ? Infinity : 1;
    if (this.running >= limit) return;
    const batchSize = this.conf.max_batch_size;
    const delayMs = this.conf.max_coalescing_delay * 1000;
    const waited = performance.now() - this.firstAt;
    if (batchSize > 1 && this.waiting.length < batchSize && waited < delayMs) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.firstAt = -Infinity;
        this.pump();
      }, delayMs - waited);
      this.timer.unref();
      return;
    }
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.waiting.splice(0, batchSize);
    for (const e of batch) this.bytes -= e.length;
    this.firstAt = performance.now();
    this.running++;
    void this.deliver(batch).finally(() => {
      this.running--;
      this.pump();
    });
    if (this.waiting.length > 0) this.pump();
  }

  private async deliver(batch: string[]): Promise<void> {
    const start = performance.now();
    let delay = this.conf.initial_retry_delay * 1000;
    for (let attempt = 1; ; attempt++) {
      let ok = false;
      let reason = '';
      try {
        ok = await this.send(batch);
        if (!ok) reason = 'rejected';
      } catch (err) {
        reason = (err as Error).message;
      }
      if (ok) return;
      const elapsed = (performance.now() - start) / 1000;
      if (this.conf.max_retry_time < 0 || elapsed + delay / 1000 > this.conf.max_retry_time) {
        this.log.warn(
          { event: 'log_queue_batch_failed', queue: this.name, attempts: attempt, error: reason },
          `${this.name}: giving up on a batch after ${attempt} attempts`,
        );
        this.drop(batch.length, 'retries exhausted');
        return;
      }
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, this.conf.max_retry_delay * 1000);
    }
  }

  /** Counts a loss and logs it at most once a second, with the count since the last log. */
  private drop(n: number, reason: string): void {
    this.dropped += n;
    this.droppedUnlogged += n;
    this.onDrop(n);
    if (this.warnTimer !== null) return;
    const flush = (): void => {
      if (this.droppedUnlogged > 0)
        this.log.warn(
          { event: 'log_queue_dropped', queue: this.name, dropped: this.droppedUnlogged, dropped_total: this.dropped, reason },
          `${this.name}: ${this.droppedUnlogged} log entries dropped (${reason})`,
        );
      this.droppedUnlogged = 0;
    };
    flush();
    this.warnTimer = setTimeout(() => {
      this.warnTimer = null;
      flush();
    }, 1000);
    this.warnTimer.unref();
  }
}
