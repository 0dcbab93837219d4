/**
 * Failed-login throttling: once a key (a client address, or an account) has
 * `maxFailures` failures in the last `windowMs`, logins for it are refused
 * (429) until the oldest of those failures leaves the window. Both keys of an
 * attempt are checked: guessing many passwords for one account from many
 * addresses, and many accounts from one address, are each stopped.
 */
export interface LoginThrottle {
  /** Seconds until every key may try again (rounded up), or 0 when none is throttled. */
  retryAfterSeconds(keys: readonly string[]): Promise<number>;
  /** Records one failed attempt against each key; concurrent calls each count. */
  recordFailure(keys: readonly string[]): Promise<void>;
  /** Forgets a key's failures (an account after a successful login). */
  reset(key: string): Promise<void>;
}

/** How many failures within how long throttle a key. */
export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

/** The keys of one login attempt: its client address, then the account it names (case-insensitive). */
export function loginThrottleKeys(address: string, email: string): [address: string, account: string] {
  return [`address:${address}`, `account:${email.trim().toLowerCase()}`];
}

/**
 * The wait, in whole seconds rounded up, before every key given by its failure
 * times (epoch ms, any order, expired ones allowed) is below the limit at
 * `now`; 0 when none is throttled.
 */
export function retryAfterSeconds(failuresPerKey: ReadonlyArray<readonly number[]>, limits: ThrottleLimits, now: number): number {
  let waitMs = 0;
  for (const failures of failuresPerKey) {
    const recent = failures.filter((t) => now - t < limits.windowMs).sort((a, b) => a - b);
    if (recent.length >= limits.maxFailures) {
      // Allowed again once enough of the failures have aged out of the window.
      const freeAt = (recent[recent.length - limits.maxFailures] as number) + limits.windowMs;
      waitMs = Math.max(waitMs, freeAt - now);
    }
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}
