/**
 * Jittered exponential backoff for reconnecting to the control plane.
 *
 * Invariant: every delay lies in [baseMs / 2, capMs]; the ceiling doubles on
 * each failure until it reaches `capMs`, and `reset()` (called once a
 * connection has been established) brings it back to `baseMs`. The "equal
 * jitter" form keeps half the ceiling fixed so a fleet of data planes that lost
 * the same control plane spreads out without any of them retrying instantly.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly capMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one failure. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    if (ceiling < this.capMs) this.attempt++;
    const half = ceiling / 2;
    return Math.round(half + this.random() * half);
  }

  /** Forgets past failures: the next delay is short again. */
  reset(): void {
    this.attempt = 0;
  }
}
