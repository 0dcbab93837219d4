import { loginThrottleKeys, retryAfterSeconds } from './login-throttle';

describe('login throttle arithmetic', () => {
  const limits = { maxFailures: 3, windowMs: 60_000 };

  it('allows fewer than maxFailures failures in the window, then waits until the oldest needed one leaves it', () => {
    const failures = [0, 1000, 2000];
    expect(retryAfterSeconds([failures.slice(0, 2)], limits, 3000)).toBe(0);
    // Failures at 0 s, 1 s, 2 s; now 3 s: the first leaves the window at 60 s.
    expect(retryAfterSeconds([failures], limits, 3000)).toBe(57);
    expect(retryAfterSeconds([failures], limits, 59_999)).toBe(1);
    expect(retryAfterSeconds([failures], limits, 60_000)).toBe(0);
  });

  it('rounds a partial second up, ignores expired and unordered times, and answers the longest wait of all keys', () => {
    expect(retryAfterSeconds([[10_500, 500, 20_000]], limits, 30_000)).toBe(31);
    // With four failures only the last three decide: the wait ends when the second-oldest leaves.
    expect(retryAfterSeconds([[0, 5000, 6000, 7000]], limits, 8000)).toBe(57);
    expect(retryAfterSeconds([[-70_000, -65_000, 1000]], limits, 2000)).toBe(0);
    expect(retryAfterSeconds([[], [0, 1000, 2000], [20_000, 25_000, 30_000]], limits, 30_000)).toBe(50);
  });

  it('keys an attempt by its address and its account, the account trimmed and case-insensitive', () => {
    expect(loginThrottleKeys('10.0.0.2', ' X@Example.TEST ')).toEqual(['address:10.0.0.2', 'account:x@example.test']);
    expect(loginThrottleKeys('10.0.0.3', 'x@example.test')[1]).toBe(loginThrottleKeys('10.0.0.9', 'X@EXAMPLE.test')[1]);
  });
});
