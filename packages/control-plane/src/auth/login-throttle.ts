/**
 * Login throttling: once a key (a client address, or an account) has
 * `maxFailures` attempts counted in the last `windowMs`, logins for it are
 * refused (429) until the oldest of those attempts leaves the window. Both
 * keys of an attempt are checked: guessing many passwords for one account from
 * many addresses, and many accounts from one address, are each stopped.
 *
 * An attempt is counted before its password is checked (`begin`), in one
 * atomic step with the check, so N attempts made at once never get more than
 * `maxFailures` password checks per key; a failed attempt simply stays
 * counted, a successful one is given back (`release`, and the account `reset`).
 */
export interface LoginThrottle {
  /**
   * Counts one attempt against every key, unless one of them is already at the
   * limit: then nothing stays counted and the answer is the wait in whole
   * seconds (at least 1). Concurrent calls are serialized per key.
   */
  begin(keys: readonly string[]): Promise<LoginAttempt>;
  /** Gives back the attempt `begin` counted against `key` (its address, after a successful login). */
  release(key: string, attempt: AllowedAttempt): Promise<void>;
  /** Seconds until every key may try again (rounded up), or 0 when none is throttled. */
  retryAfterSeconds(keys: readonly string[]): Promise<number>;
  /** Forgets a key's attempts (an account after a successful login). */
  reset(key: string): Promise<void>;
}

/** An attempt `begin` counted: `at` is the time it was counted under, which `release` removes. */
export interface AllowedAttempt {
  allowed: true;
  at: Date;
}

/** What `begin` answers: counted, or refused with the wait before the keys may try again. */
export type LoginAttempt = AllowedAttempt | { allowed: false; retryAfter: number };

/** How many counted attempts (failed, or still being checked) within how long throttle a key. */
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
export function retryAfterSeconds(failuresPerKey: readonly (readonly number[])[], limits: ThrottleLimits, now: number): number {
  let waitMs = 0;
  for (const failures of failuresPerKey) {
    const recent = failures.filter((t) => now - t < limits.windowMs).sort((a, b) => a - b);
    // The failure whose ageing out of the window allows the key again (none while under the limit).
    const oldestCounted = recent.length >= limits.maxFailures ? recent[recent.length - limits.maxFailures] : undefined;
    if (oldestCounted !== undefined) {
      const freeAt = oldestCounted + limits.windowMs;
      waitMs = Math.max(waitMs, freeAt - now);
    }
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}
