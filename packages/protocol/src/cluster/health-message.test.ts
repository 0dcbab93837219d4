import { dpMessage, MAX_REPORTED_TARGETS } from './messages';

const ID = '00000000-0000-4000-8000-000000000001';
const targets = (n: number) => Array.from({ length: n }, (_, i) => ({ target: `10.0.${Math.floor(i / 250)}.${i % 250}:80`, weight: 100, health: 'HEALTHY' }));

describe('the health message a DP sends', () => {
  it('takes Kong health names and refuses anything else', () => {
    expect(dpMessage.safeParse({ type: 'health', upstreams: [{ id: ID, name: 'u', targets: targets(2) }] }).success).toBe(true);
    const bad = { type: 'health', upstreams: [{ id: ID, name: 'u', targets: [{ target: 'a:1', weight: 1, health: 'SICK' }] }] };
    expect(dpMessage.safeParse(bad).success).toBe(false);
  });

  it(`carries at most ${MAX_REPORTED_TARGETS} targets over all its upstreams`, () => {
    // 10,000 per upstream at most, so the cap is reached with ten full upstreams.
    const full = Array.from({ length: MAX_REPORTED_TARGETS / 10_000 }, (_, i) => ({ id: ID, name: `u${i}`, targets: targets(10_000) }));
    expect(dpMessage.safeParse({ type: 'health', upstreams: full }).success).toBe(true);
    const over = dpMessage.safeParse({ type: 'health', upstreams: [...full, { id: ID, name: 'one-more', targets: targets(1) }] });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe(`at most ${MAX_REPORTED_TARGETS} targets in all`);
  });

  it("carries each target's addresses (optional), at most 1,000 per target and 100,000 in all", () => {
    const address = (i: number) => ({ ip: `10.1.${Math.floor(i / 250)}.${i % 250}`, port: 80, health: 'UNHEALTHY', weight: 100 });
    const withAddresses = (n: number) => [
      { target: 'api.test:80', weight: 100, health: 'HEALTHY', addresses: Array.from({ length: n }, (_, i) => address(i)) },
    ];
    expect(dpMessage.safeParse({ type: 'health', upstreams: [{ id: ID, name: 'u', targets: withAddresses(2) }] }).success).toBe(true);
    expect(dpMessage.safeParse({ type: 'health', upstreams: [{ id: ID, name: 'u', targets: withAddresses(1001) }] }).success).toBe(false);
    const many = Array.from({ length: 101 }, (_, i) => ({ id: ID, name: `u${i}`, targets: withAddresses(1000) }));
    const over = dpMessage.safeParse({ type: 'health', upstreams: many });
    expect(over.error?.issues[0]?.message).toBe(`at most ${MAX_REPORTED_TARGETS} addresses in all`);
  });
});
