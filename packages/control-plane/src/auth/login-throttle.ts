/**
 * Counts failed logins per client address and per account in a sliding
 * window; once a key has `maxFailures` failures in the last `windowMs`, logins
 * for it are refused (429) until the oldest of them leaves the window.
 * Both keys are checked: guessing many passwords for one account from many
 * addresses, and many accounts from one address, are each stopped.
 *
 * Counters live in this process (several CPs each count their own); memory
 * is bounded by `maxKeys`, the least recently failed keys going first, so a
 * flood of made-up emails cannot grow it without end.
 */
export class LoginThrottle {
  // Insertion order is kept by Map: re-inserting a key on each failure makes the first entry the stalest.
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The keys of one login attempt: its client address and the account it names. */
  static keys(address: string, email: string): string[] {
    return [`address:${address}`, `account:${email.trim().toLowerCase()}`];
  }

  /** Seconds until every key may try again (rounded up), or 0 when none is throttled. */
  retryAfterSeconds(keys: readonly string[]): number {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) {
        // Allowed again once enough of the failures have aged out of the window.
        const freeAt = (recent[recent.length - this.maxFailures] as number) + this.windowMs;
        waitMs = Math.max(waitMs, freeAt - now);
      }
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  /** Records one failed attempt against each key. */
  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      // Never more than needed to decide: the last maxFailures failures.
      if (recent.length > this.maxFailures) recent.splice(0, recent.length - this.maxFailures);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > this.maxKeys) {
      const stalest = this.failures.keys().next().value as string;
      this.failures.delete(stalest);
    }
  }

  /** Forgets a key's failures (an account after a successful login). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const all = this.failures.get(key);
    if (!all) return [];
    const fresh = all.filter((t) => now - t < this.windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    return fresh;
  }
}
