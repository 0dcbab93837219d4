import { LocalCounters } from './local-counters';

describe('LocalCounters', () => {
  it('lets requests through up to the limit, then refuses without counting', () => {
    const c = new LocalCounters();
    const results = Array.from({ length: 7 }, () => c.take('k', [0], [5], 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(results.map((r) => r.counts[0])).toEqual([0, 1, 2, 3, 4, 5, 5]);
  });

  it('refuses when any period is exhausted and counts all periods together', () => {
    const c = new LocalCounters();
    expect(c.take('k', [0, 0], [1, 10], 60_000).allowed).toBe(true);
    const second = c.take('k', [0, 0], [1, 10], 60_000);
    expect(second).toEqual({ allowed: false, counts: [1, 1] });
    // A new second window: the minute still counts the first request only.
    expect(c.take('k', [1000, 0], [1, 10], 60_000)).toEqual({ allowed: true, counts: [0, 1] });
  });

  it('keeps separate keys apart and sweeps ended windows', () => {
    const c = new LocalCounters();
    c.take('a', [0], [1], 1000);
    expect(c.take('b', [0], [1], 5000).allowed).toBe(true);
    c.sweep(2000);
    expect(c.size).toBe(1);
    expect(c.take('a', [0], [1], 1000).allowed).toBe(true);
  });

  it('writes the answer into a reused object when given one, with the same answers', () => {
    const c = new LocalCounters();
    const out = { counts: [0], allowed: true };
    const seen = Array.from({ length: 3 }, () => {
      const r = c.take('k', [0], [2], 60_000, out);
      expect(r).toBe(out);
      return { ...r, counts: [...r.counts] };
    });
    expect(seen).toEqual([
      { counts: [0], allowed: true },
      { counts: [1], allowed: true },
      { counts: [2], allowed: false },
    ]);
  });
});
