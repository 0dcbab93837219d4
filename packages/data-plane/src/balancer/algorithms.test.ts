import { ConsistentHashing } from './consistent-hashing';
import { Latency } from './latency';
import { LeastConnections } from './least-connections';
import { RoundRobin } from './round-robin';
import type { Algorithm, BalancerEntry } from './types';

const entry = (n: number, weight = 100): BalancerEntry => ({ target: `10.0.0.${n}:80`, host: `10.0.0.${n}`, port: 80, weight });

function tally(a: Algorithm, n: number, keyOf: (i: number) => string = () => ''): number[] {
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = a.pick(keyOf(i), -1);
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return counts;
}

describe('round-robin', () => {
  it('honours weights exactly over whole turns of the wheel, and within 1% over 10,000 picks', () => {
    expect(tally(new RoundRobin([entry(1, 30), entry(2, 20), entry(3, 50)]), 10_000)).toEqual([3000, 2000, 5000]);
    const odd = tally(new RoundRobin([entry(1, 7), entry(2, 13)]), 10_000);
    expect(Math.abs((odd[0] ?? 0) - 3500)).toBeLessThan(100);
  });

  it('gives weight 0 nothing, answers -1 with nothing to pick, and avoids the excluded entry when another exists', () => {
    expect(tally(new RoundRobin([entry(1, 0), entry(2)]), 50)).toEqual([undefined, 50]);
    expect(new RoundRobin([entry(1, 0)]).pick('', -1)).toBe(-1);
    expect(new RoundRobin([]).pick('', -1)).toBe(-1);
    const rr = new RoundRobin([entry(1), entry(2)]);
    for (let i = 0; i < 20; i++) expect(rr.pick('', 0)).toBe(1);
    expect(new RoundRobin([entry(1)]).pick('', 0)).toBe(0);
  });

  it('scales a huge wheel down and keeps the proportions', () => {
    const big = tally(new RoundRobin([entry(1, 65535), entry(2, 65534), entry(3, 1)]), 131_070);
    expect(Math.abs((big[0] ?? 0) - 65535)).toBeLessThan(1000);
    expect(big[2]).toBeGreaterThan(0);
  });
});

describe('consistent hashing', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
  const placement = (a: Algorithm): number[] => keys.map((k) => a.pick(k, -1));

  it('puts the same key on the same entry, whatever the entry order, and spreads keys by weight', () => {
    const entries = [entry(1), entry(2), entry(3), entry(4)];
    const a = placement(new ConsistentHashing(entries, 10_000));
    const reordered = placement(new ConsistentHashing([entries[2], entries[0], entries[3], entries[1]] as BalancerEntry[], 10_000));
    const names = (p: number[], list: BalancerEntry[]): string[] => p.map((i) => list[i]?.target ?? '');
    expect(names(reordered, [entries[2], entries[0], entries[3], entries[1]] as BalancerEntry[])).toEqual(names(a, entries));
    for (let t = 0; t < 4; t++) expect(Math.abs(a.filter((i) => i === t).length - 2500)).toBeLessThan(700);
    const weighted = placement(new ConsistentHashing([entry(1, 300), entry(2, 100)], 10_000));
    expect(weighted.filter((i) => i === 0).length).toBeGreaterThan(6500);
  });

  it('moves about 1/N of 10,000 keys when a target is added or removed', () => {
    const four = [entry(1), entry(2), entry(3), entry(4)];
    const before = placement(new ConsistentHashing(four, 10_000)).map((i) => four[i]?.target);
    const five = [...four, entry(5)];
    const added = placement(new ConsistentHashing(five, 10_000)).map((i) => five[i]?.target);
    const movedOnAdd = before.filter((t, i) => t !== added[i]).length;
    // Ideal: 1/5 of the keys move, all of them to the new target.
    expect(movedOnAdd).toBeLessThan(10_000 * 0.3);
    // Keys that move go to the new target, but for the few points whose collisions resolve differently.
    expect(before.filter((t, i) => t !== added[i] && added[i] !== '10.0.0.5:80').length).toBeLessThan(10_000 * 0.02);
    const three = four.slice(1);
    const removed = placement(new ConsistentHashing(three, 10_000)).map((i) => three[i]?.target);
    const movedOnRemove = before.filter((t, i) => t !== removed[i]);
    // The removed target's keys move (about 1/4); of the others, only the few near collided points.
    expect(movedOnRemove.filter((t) => t !== '10.0.0.1:80').length).toBeLessThan(10_000 * 0.02);
    expect(movedOnRemove.length).toBeLessThan(10_000 * 0.35);
  });

  it('skips weight 0, answers -1 with nothing to pick, and sends a retry to another entry', () => {
    expect(new Set(placement(new ConsistentHashing([entry(1, 0), entry(2)], 1000)))).toEqual(new Set([1]));
    expect(new ConsistentHashing([entry(1, 0)], 1000).pick('k', -1)).toBe(-1);
    const ch = new ConsistentHashing([entry(1), entry(2), entry(3)], 1000);
    for (const k of keys.slice(0, 100)) {
      const first = ch.pick(k, -1);
      const retry = ch.pick(k, first);
      expect(retry).not.toBe(first);
      expect(retry).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('least connections', () => {
  it('picks the entry with the fewest requests in flight for its weight', () => {
    const lc: Algorithm = new LeastConnections([entry(1), entry(2), entry(3, 0)]);
    const a = lc.pick('', -1);
    lc.started(a);
    const b = lc.pick('', -1);
    lc.started(b);
    expect(new Set([a, b])).toEqual(new Set([0, 1]));
    // Entry a finishes: it has fewer in flight and wins.
    lc.finished(a, 5);
    expect(lc.pick('', -1)).toBe(a);
    expect(lc.pick('', a)).toBe(b);
    expect(new LeastConnections([entry(1, 0)]).pick('', -1)).toBe(-1);
  });
});

describe('latency', () => {
  it('prefers the entry answering fastest, and still tries an entry with no figure yet at the average', () => {
    const lat = new Latency([entry(1), entry(2)]);
    lat.finished(0, 50);
    lat.finished(1, 5);
    expect(tally(lat, 10)).toEqual([undefined, 10]);
    expect(lat.pick('', 1)).toBe(0);
    expect(new Latency([entry(1, 0)]).pick('', -1)).toBe(-1);
  });
});
