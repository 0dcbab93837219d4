import fc from 'fast-check';
import { CONFORMANCE_CASES, toRouteRequest, toRouterRoutes, type CaseRoute } from './conformance.cases';
import { createIndexedRouter } from './indexed-router';
import { createLinearRouter } from './linear-router';
import type { RouterFactory } from './types';

const IMPLEMENTATIONS: [string, RouterFactory][] = [
  ['indexed router', createIndexedRouter],
  ['linear reference router', createLinearRouter],
];

describe.each(IMPLEMENTATIONS)("%s follows Kong's matching rules", (_name, factory) => {
  it.each(CONFORMANCE_CASES.map((c) => [c.name, c] as const))('%s', (_title, c) => {
    const router = factory(toRouterRoutes(c.routes));
    for (const [i, [req, expected, prefix]] of c.expect.entries()) {
      const m = router.match(toRouteRequest(req));
      expect({ req, route: m?.payload ?? null }).toEqual({ req, route: expected });
      if (prefix !== undefined) expect({ req, prefix: m?.prefix }).toEqual({ req, prefix });
      const captures = c.captures?.[i];
      if (captures !== undefined) expect({ req, captures: m?.uriCaptures }).toEqual({ req, captures });
    }
  });

  it('rejects an invalid regex path, naming the route', () => {
    expect(() => factory(toRouterRoutes([{ id: 'bad-route', paths: ['~/(unclosed'] }]))).toThrow(/bad-route.*invalid regex path/);
  });
});

describe('indexed router agrees with the reference router', () => {
  const segment = fc.constantFrom('a', 'b', 'ab', 'api', 'v1', 'x');
  const path = fc.array(segment, { minLength: 0, maxLength: 3 }).map((s) => `/${s.join('/')}`);
  const regexPath = fc.constantFrom('~/a/\\w+', '~/api/v\\d', '~/b$', '~/(a|b)/');
  const host = fc.constantFrom('a.test', 'b.test', '*.test', 'a.*', 'a.test:8080', '*.test:8080', 'a.*:80');
  const route: fc.Arbitrary<CaseRoute> = fc.record(
    {
      id: fc.uuid(),
      methods: fc.subarray(['GET', 'POST', 'PUT']),
      hosts: fc.array(host, { maxLength: 2 }),
      paths: fc.array(fc.oneof(path, path, regexPath), { maxLength: 3 }),
      headers: fc.option(fc.record({ 'x-h': fc.subarray(['1', '2', '~*^3']) }), { nil: undefined }),
      regex_priority: fc.integer({ min: -2, max: 2 }),
      created_at: fc.integer({ min: 1, max: 5 }),
    },
    { requiredKeys: ['id'] },
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'DELETE'),
    path,
    host: fc.constantFrom('a.test', 'b.test', 'c.test', 'a.org', ''),
    port: fc.constantFrom(80, 8080),
    headers: fc.record(
      { 'x-h': fc.oneof(fc.constantFrom('1', '2', '33', '4', '1, 2'), fc.subarray(['1', '2', '33', '4'], { minLength: 1 })) },
      { requiredKeys: [] },
    ),
  });

  it('answers the same route for random route sets and requests', () => {
    fc.assert(
      fc.property(fc.array(route, { minLength: 1, maxLength: 25 }), fc.array(request, { minLength: 1, maxLength: 20 }), (routes, requests) => {
        const usable = routes.filter((r) => (r.methods?.length ?? 0) + (r.hosts?.length ?? 0) + (r.paths?.length ?? 0) + (r.headers?.['x-h']?.length ?? 0) > 0);
        const rr = toRouterRoutes(usable.map((r) => ({ ...r, headers: r.headers?.['x-h']?.length ? r.headers : undefined })));
        const indexed = createIndexedRouter(rr);
        const linear = createLinearRouter(rr);
        for (const req of requests) {
          const q = toRouteRequest(req);
          const a = indexed.match(q);
          const b = linear.match(q);
          expect([a?.payload ?? null, a?.prefix, a?.uriCaptures]).toEqual([b?.payload ?? null, b?.prefix, b?.uriCaptures]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
