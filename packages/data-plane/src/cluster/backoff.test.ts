import { Backoff } from './backoff';

describe('Backoff', () => {
  it('grows exponentially up to the cap, with jitter inside [ceiling/2, ceiling]', () => {
    const low = new Backoff(500, 30_000, () => 0);
    const high = new Backoff(500, 30_000, () => 1);
    const lows = Array.from({ length: 10 }, () => low.next());
    const highs = Array.from({ length: 10 }, () => high.next());
    expect(highs.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
    expect(lows.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(Math.max(...highs)).toBe(30_000);
    expect(highs[9]).toBe(30_000);
    expect(lows[9]).toBe(15_000);
  });

  it('starts over after reset', () => {
    const b = new Backoff(500, 30_000, () => 1);
    for (let i = 0; i < 8; i++) b.next();
    b.reset();
    expect(b.next()).toBe(500);
  });
});
