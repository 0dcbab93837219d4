import fc from 'fast-check';
import { resolveScopes, ScopeIndex, scopeLevel, type Resolution, type ScopedPlugin } from './scoping';

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

describe('plugin scoping (docs/PLUGINS.md, Scoping and precedence)', () => {
  it('orders the eight levels as Kong does', () => {
    const levels = [
      p({ r: true, s: true, c: true }),
      p({ r: true, c: true }),
      p({ s: true, c: true }),
      p({ r: true, s: true }),
      p({ c: true }),
      p({ r: true }),
      p({ s: true }),
      p({}),
    ];
    expect(levels.map(scopeLevel)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  // Each level must beat every less specific one, for the consumer it names or for everyone.
  const cases: [string, { r?: boolean; s?: boolean; c?: boolean }][] = [
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

/** The resolution as it was computed before the index (one pass over every plugin per route), kept as the oracle. */
function linearResolve(plugins: readonly ScopedPlugin[], routeId: string | null, serviceId: string | null): Map<string, Resolution<ScopedPlugin>> {
  const better = (a: ScopedPlugin, b: ScopedPlugin): boolean => {
    const la = scopeLevel(a);
    const lb = scopeLevel(b);
    if (la !== lb) return la < lb;
    if (a.created_at !== b.created_at) return a.created_at < b.created_at;
    return a.id < b.id;
  };
  const out = new Map<string, Resolution<ScopedPlugin>>();
  const consumerScoped: ScopedPlugin[] = [];
  for (const p of plugins) {
    if (!p.enabled) continue;
    if (p.route !== null && p.route.id !== routeId) continue;
    if (p.service !== null && p.service.id !== serviceId) continue;
    let res = out.get(p.name);
    if (res === undefined) out.set(p.name, (res = { name: p.name, base: null, byConsumer: new Map() }));
    if (p.consumer !== null) consumerScoped.push(p);
    else if (res.base === null || better(p, res.base)) res.base = p;
  }
  for (const p of consumerScoped) {
    const res = out.get(p.name)!;
    const current = res.byConsumer.get(p.consumer!.id) ?? res.base;
    if (current === null || better(p, current)) res.byConsumer.set(p.consumer!.id, p);
  }
  return out;
}

/** A resolution map in a comparable form: names sorted, winners by id, consumers sorted. */
function normalized(m: Map<string, Resolution<ScopedPlugin>>): [string, string | null, [string, string][]][] {
  return [...m.values()]
    .map((r): [string, string | null, [string, string][]] => [
      r.name,
      r.base?.id ?? null,
      [...r.byConsumer].map(([c, p]): [string, string] => [c, p.id]).sort(),
    ])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('ScopeIndex (every route of a snapshot resolved in O(routes + plugins))', () => {
  const ids = (prefix: string) => fc.constantFrom(`${prefix}1`, `${prefix}2`, `${prefix}3`);
  const plugin = fc.record({
    id: fc.uuid(),
    name: fc.constantFrom('rate-limiting', 'key-auth', 'cors'),
    enabled: fc.integer({ min: 1, max: 100 }).map((n) => n <= 85),
    // Few distinct timestamps, so ties fall through to the id.
    created_at: fc.integer({ min: 1, max: 4 }),
    route: fc.option(ids('r').map((id) => ({ id }))),
    service: fc.option(ids('s').map((id) => ({ id }))),
    consumer: fc.option(ids('c').map((id) => ({ id }))),
  });

  it('answers what the linear resolution answers, for every route/service pair and for no route', () => {
    fc.assert(
      fc.property(fc.array(plugin, { maxLength: 40 }), (plugins) => {
        const index = new ScopeIndex(plugins);
        const pairs: [string | null, string | null][] = [[null, null]];
        for (const r of ['r1', 'r2', 'r3', 'r9']) for (const s of ['s1', 's2', 's3', 's9', null]) pairs.push([r, s]);
        for (const [r, s] of pairs) {
          const expected = normalized(linearResolve(plugins, r, s));
          expect(normalized(index.resolve(r, s))).toEqual(expected);
          expect(normalized(resolveScopes(plugins, r, s))).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('resolves 10,000 routes with 500 plugins far faster than the linear pass (it does not scan every plugin per route)', () => {
    const plugins: ScopedPlugin[] = [];
    for (let i = 0; i < 500; i++)
      plugins.push({ id: `p${i}`, name: 'rate-limiting', enabled: true, created_at: i, route: { id: `r${i * 20}` }, service: null, consumer: null });
    plugins.push({ id: 'g', name: 'cors', enabled: true, created_at: 1, route: null, service: null, consumer: null });
    const started = performance.now();
    const index = new ScopeIndex(plugins);
    let withLimit = 0;
    for (let i = 0; i < 10_000; i++) if (index.resolve(`r${i}`, `s${i % 1000}`).has('rate-limiting')) withLimit++;
    const indexed = performance.now() - started;
    const linearStarted = performance.now();
    for (let i = 0; i < 10_000; i++) linearResolve(plugins, `r${i}`, `s${i % 1000}`);
    const linear = performance.now() - linearStarted;
    expect(withLimit).toBe(500);
    // A ratio within one run, not a wall-clock bound: the index does O(1) work per route, the linear pass O(plugins).
    expect(indexed * 3).toBeLessThan(linear);
  });
});
