/**
 * Gatehouse's circuit breaker (Kong has none): an upstream's
 * `max_concurrent_requests_per_target`. Counts the tries in flight on each
 * target in this process (from the pick to the response head, a failure or
 * the client's abort, the bracket least connections counts) and, for a pick,
 * marks the targets at the limit so the algorithm skips them as it skips
 * the ones health checks took out.
 */
export class ConcurrencyLimit {
  private readonly inFlight: Uint32Array;
  private readonly skip: Uint8Array;

  constructor(
    size: number,
    readonly limit: number,
  ) {
    this.inFlight = new Uint32Array(size);
    this.skip = new Uint8Array(size);
  }

  /** `down` (health checks) with every target at its limit added; a scratch array, valid until the next call. */
  mask(down: Uint8Array): Uint8Array {
    for (let i = 0; i < this.skip.length; i++) this.skip[i] = down[i] === 1 || (this.inFlight[i] ?? 0) >= this.limit ? 1 : 0;
    return this.skip;
  }

  started(index: number): void {
    if (index < this.inFlight.length) this.inFlight[index] = (this.inFlight[index] ?? 0) + 1;
  }

  finished(index: number): void {
    const n = this.inFlight[index] ?? 0;
    if (n > 0) this.inFlight[index] = n - 1;
  }

  /** Tries in flight on a target (tests, diagnostics). */
  count(index: number): number {
    return this.inFlight[index] ?? 0;
  }
}
