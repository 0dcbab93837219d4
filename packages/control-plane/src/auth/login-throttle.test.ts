import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 1_000_000;
  const clock = (): number => now;

  it('allows maxFailures failures, then refuses until the oldest leaves the window', () => {
    const t = new LoginThrottle(3, 60_000, 100, clock);
    const keys = LoginThrottle.keys('10.0.0.1', 'A@Example.test');
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterSeconds(keys)).toBe(0);
      t.recordFailure(keys);
      now += 1000;
    }
    // Failures at 0 s, 1 s, 2 s; now 3 s: the first leaves the window at 60 s.
    expect(t.retryAfterSeconds(keys)).toBe(57);
    now += 57_000;
    expect(t.retryAfterSeconds(keys)).toBe(0);
  });

  it('counts the address and the account separately, the account case-insensitively', () => {
    const t = new LoginThrottle(2, 60_000, 100, clock);
    t.recordFailure(LoginThrottle.keys('10.0.0.2', 'x@example.test'));
    t.recordFailure(LoginThrottle.keys('10.0.0.3', 'X@EXAMPLE.TEST'));
    expect(t.retryAfterSeconds(LoginThrottle.keys('10.0.0.9', 'x@example.test'))).toBeGreaterThan(0);
    expect(t.retryAfterSeconds(LoginThrottle.keys('10.0.0.2', 'other@example.test'))).toBe(0);
  });

  it('forgets an account after reset, and keeps at most maxKeys keys', () => {
    const t = new LoginThrottle(1, 60_000, 4, clock);
    const keys = LoginThrottle.keys('10.0.0.4', 'y@example.test');
    t.recordFailure(keys);
    t.reset(keys[1] as string);
    expect(t.retryAfterSeconds(['account:y@example.test'])).toBe(0);
    for (let i = 0; i < 10; i++) t.recordFailure([`account:${i}@example.test`]);
    expect(t.retryAfterSeconds(['account:0@example.test'])).toBe(0);
    expect(t.retryAfterSeconds(['account:9@example.test'])).toBeGreaterThan(0);
  });
});
