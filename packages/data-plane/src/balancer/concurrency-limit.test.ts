import { ConcurrencyLimit } from './concurrency-limit';
import { RoundRobin } from './round-robin';

describe('ConcurrencyLimit (max_concurrent_requests_per_target)', () => {
  it('marks a target at its limit, adds the health checks’ down targets, and frees it when a try ends', () => {
    const limit = new ConcurrencyLimit(3, 2);
    const down = new Uint8Array([0, 0, 1]);
    expect([...limit.mask(down)]).toEqual([0, 0, 1]);
    limit.started(0);
    limit.started(0);
    expect([...limit.mask(down)]).toEqual([1, 0, 1]);
    limit.finished(0);
    expect([...limit.mask(down)]).toEqual([0, 0, 1]);
    expect(limit.count(0)).toBe(1);
  });

  it('never counts below 0 (a try released twice)', () => {
    const limit = new ConcurrencyLimit(1, 1);
    limit.finished(0);
    limit.started(0);
    expect(limit.count(0)).toBe(1);
  });

  it('makes round-robin skip the full target and answer -1 when every target is full', () => {
    const entries = [0, 1].map((i) => ({ target: `t${i}:80`, host: `t${i}`, port: 80, weight: 100 }));
    const rr = new RoundRobin(entries);
    const limit = new ConcurrencyLimit(2, 1);
    const none = new Uint8Array(2);
    const picks: number[] = [];
    for (let n = 0; n < 3; n++) {
      const i = rr.pick('', -1, limit.mask(none));
      picks.push(i);
      if (i >= 0) limit.started(i);
    }
    expect(picks.slice(0, 2).sort()).toEqual([0, 1]);
    expect(picks[2]).toBe(-1);
  });
});
