import { resolveScopes, scopeLevel, type ScopedPlugin } from './scoping';

const R = 'route-1';
const S = 'service-1';
const C = 'consumer-1';

let n = 0;
function p(scope: { r?: boolean; s?: boolean; c?: boolean }, extra: Partial<ScopedPlugin> = {}): ScopedPlugin {
  n++;
  return {
    id: `p${n}`,
    name: 'rate-limiting',
    enabled: true,
    created_at: n,
    route: scope.r ? { id: R } : null,
    service: scope.s ? { id: S } : null,
    consumer: scope.c ? { id: C } : null,
    ...extra,
  };
}

describe('plugin scoping (CONTRACT.md §4 precedence)', () => {
  it('orders the eight levels as Kong does', () => {
    const levels = [p({ r: true, s: true, c: true }), p({ r: true, c: true }), p({ s: true, c: true }), p({ r: true, s: true }), p({ c: true }), p({ r: true }), p({ s: true }), p({})];
    expect(levels.map(scopeLevel)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  // Each level must beat every less specific one, for the consumer it names or for everyone.
  const cases: Array<[string, { r?: boolean; s?: boolean; c?: boolean }]> = [
    ['route+service+consumer', { r: true, s: true, c: true }],
    ['route+consumer', { r: true, c: true }],
    ['service+consumer', { s: true, c: true }],
    ['route+service', { r: true, s: true }],
    ['consumer', { c: true }],
    ['route', { r: true }],
    ['service', { s: true }],
    ['global', {}],
  ];
  cases.forEach(([label, scope], i) => {
    it(`${label} wins over every less specific scope`, () => {
      const winner = p(scope);
      const weaker = cases.slice(i + 1).map(([, s]) => p(s));
      const res = resolveScopes([...weaker, winner], R, S).get('rate-limiting')!;
      const forConsumer = res.byConsumer.get(C) ?? res.base;
      expect(forConsumer?.id).toBe(winner.id);
      if (!scope.c) expect(res.base?.id).toBe(winner.id);
    });
  });

  it('applies nothing attached to another route or service', () => {
    const res = resolveScopes([p({ r: true }, { route: { id: 'other' } }), p({ s: true }, { service: { id: 'other' } })], R, S);
    expect(res.size).toBe(0);
  });

  it('ignores disabled instances, leaving the next scope in force', () => {
    const global = p({});
    const res = resolveScopes([p({ r: true }, { enabled: false }), global], R, S).get('rate-limiting')!;
    expect(res.base?.id).toBe(global.id);
  });

  it('keeps a route+service instance over a consumer-only one for that consumer', () => {
    const rs = p({ r: true, s: true });
    const res = resolveScopes([p({ c: true }), rs], R, S).get('rate-limiting')!;
    expect(res.byConsumer.size).toBe(0);
    expect(res.base?.id).toBe(rs.id);
  });
});
