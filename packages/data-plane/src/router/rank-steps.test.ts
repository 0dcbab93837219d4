import fc from 'fast-check';
import { rankRoutes, rankRouteSteps } from './route-entry';
import type { RouterRoute } from './types';

/**
 * The indexed router ranks routes with `rankRouteSteps` (a merge sort in
 * slices, so a big apply does not stall the event loop); the linear
 * reference router uses `rankRoutes` (one native sort). The conformance
 * suite's route sets are too small to reach the merge passes, so this
 * checks the two orders agree on sets of thousands of entries.
 */
describe('rankRouteSteps', () => {
  const route = fc.record({
    id: fc.uuid(),
    created_at: fc.integer({ min: 1, max: 20 }),
    methods: fc.subarray(['GET', 'POST']),
    hosts: fc.array(fc.constantFrom('a.test', '*.test', 'b.test'), { maxLength: 1 }),
    paths: fc.array(fc.constantFrom('/a', '/ab', '/abc/d', '~/x\\d', '/'), { maxLength: 3 }),
    headers: fc.constantFrom<Record<string, string[]>>({}, { 'x-h': ['1'] }),
    regex_priority: fc.integer({ min: 0, max: 3 }),
  });

  it('ranks thousands of entries exactly as the one-sort ranking does', () => {
    fc.assert(
      fc.property(fc.array(route, { minLength: 1500, maxLength: 2500 }), (raw) => {
        const routes: RouterRoute<string>[] = raw.map((r) => ({ ...r, payload: r.id }));
        const steps = rankRouteSteps(routes);
        let r = steps.next();
        let yields = 0;
        while (!r.done) {
          yields++;
          r = steps.next();
        }
        const expected = rankRoutes(routes).map((e) => `${e.route.id}#${e.pathIndex}@${e.rank}`);
        expect(r.value.map((e) => `${e.route.id}#${e.pathIndex}@${e.rank}`)).toEqual(expected);
        // It did pause along the way: that is its purpose.
        expect(yields).toBeGreaterThan(3);
      }),
      { numRuns: 15 },
    );
  });
});
