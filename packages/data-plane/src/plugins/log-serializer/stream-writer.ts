import type { Logger } from '../../logging';

/** Bytes a log writer may hold for a slow or dead peer before it drops entries. */
export const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/**
 * Counts and logs (at most once a second, with the count) the entries a log
 * plugin could not deliver: an unreachable peer, a full buffer.
 */
export class LossCounter {
  total = 0;
  private unlogged = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly name: string,
    private readonly log: Logger,
    private readonly onDrop: (n: number) => void = () => undefined,
  ) {}

  drop(n: number, reason: string): void {
    this.total += n;
    this.unlogged += n;
    this.onDrop(n);
    if (this.timer !== null) return;
    this.flush(reason);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush(reason);
    }, 1000);
    this.timer.unref();
  }

  private flush(reason: string): void {
    if (this.unlogged === 0) return;
    this.log.warn(
      { event: 'log_entries_dropped', plugin: this.name, dropped: this.unlogged, dropped_total: this.total, reason },
      `${this.name}: ${this.unlogged} log entries dropped (${reason})`,
    );
    this.unlogged = 0;
  }
}
