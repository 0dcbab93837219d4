import type { Db } from '../database/client';
import type { Logger } from '../logging';
import { touchNodes } from '../nodes/node-store';

/** How often pings are written to the database in one batch. */
export const HEARTBEAT_FLUSH_MS = 5_000;

/**
 * Batches last_seen updates: a ping only records its time in memory, and one
 * UPDATE every few seconds writes them all, each as "now minus its age" so the
 * stored time is the ping's own. last_seen is therefore at most
 * HEARTBEAT_FLUSH_MS behind in the database, well inside the 30 s after which a
 * node counts as Disconnected, and true on every CP process that reads it.
 */
export class HeartbeatFlusher {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    /** Called with node ids whose rows are gone (deleted while connected), so they can be re-registered. */
    private readonly onMissing: (nodeIds: string[]) => void,
    private readonly intervalMs = HEARTBEAT_FLUSH_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** A node pinged at `atMs` (Date.now()). */
  record(nodeId: string, atMs: number): void {
    this.pending.set(nodeId, atMs);
  }

  /** Writes what is pending now (also used when a node disconnects and at shutdown). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const now = Date.now();
    try {
      const missing = await touchNodes(
        this.db,
        [...batch].map(([id, at]) => ({ id, ageMs: now - at })),
      );
      if (missing.length > 0) this.onMissing(missing);
    } catch (err) {
      // Keep the times for the next round rather than lose them.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.log.warn({ event: 'heartbeat_flush_failed', err: (err as Error).message, nodes: batch.size });
    }
  }
}
