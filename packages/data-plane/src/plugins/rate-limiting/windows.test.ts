import { secondsToReset, windowStart } from './windows';

const at = (iso: string): number => Date.parse(iso);

describe('rate-limiting windows', () => {
  it('starts each window at the UTC boundary (calendar month and year)', () => {
    const now = at('2025-03-17T10:42:17.250Z');
    expect(windowStart('second', now)).toBe(at('2025-03-17T10:42:17.000Z'));
    expect(windowStart('minute', now)).toBe(at('2025-03-17T10:42:00.000Z'));
    expect(windowStart('hour', now)).toBe(at('2025-03-17T10:00:00.000Z'));
    expect(windowStart('day', now)).toBe(at('2025-03-17T00:00:00.000Z'));
    expect(windowStart('month', now)).toBe(at('2025-03-01T00:00:00.000Z'));
    expect(windowStart('year', now)).toBe(at('2025-01-01T00:00:00.000Z'));
  });

  it('counts the reset in whole seconds left, never below 1 (Kong arithmetic)', () => {
    expect(secondsToReset('minute', at('2025-03-17T10:42:17.250Z'))).toBe(43);
    expect(secondsToReset('minute', at('2025-03-17T10:42:59.999Z'))).toBe(1);
    expect(secondsToReset('second', at('2025-03-17T10:42:17.999Z'))).toBe(1);
    expect(secondsToReset('hour', at('2025-03-17T10:00:00.000Z'))).toBe(3600);
    // A month counts 30 days: on the 31st the reset is clamped to 1, as in Kong.
    expect(secondsToReset('month', at('2025-03-31T12:00:00.000Z'))).toBe(1);
  });
});
