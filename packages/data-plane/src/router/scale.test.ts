import { createIndexedRouter } from './indexed-router';
import type { RouterRoute, RouteRequest } from './types';

function routes(n: number): RouterRoute<number>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    created_at: i,
    methods: ['GET'],
    hosts: [],
    paths: [`/service-${i}/api`],
    headers: {},
    regex_priority: 0,
    payload: i,
  }));
}

function lookupsPerMs(n: number): number {
  const router = createIndexedRouter(routes(n));
  const reqs: RouteRequest[] = Array.from({ length: 256 }, (_, i) => ({
    method: 'GET',
    path: `/service-${(i * 7919) % n}/api/items/${i}`,
    host: 'gw.test',
    port: 80,
    headers: {},
  }));
  for (let i = 0; i < 20_000; i++) router.match(reqs[i & 255]!);
  const rounds = 100_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) router.match(reqs[i & 255]!);
  return rounds / (performance.now() - start);
}

// How long building 10,000 routes stalls an apply is a benchmark figure (scripts/bench/scale.js,
// docs/benchmarks.md), not a timed test; here only a ratio within one run.
describe('indexed router at scale', () => {
  it('finds a route among 10,000 about as fast as among 1 (it does not scan the routes)', () => {
    const one = lookupsPerMs(1);
    const many = lookupsPerMs(10_000);
    // A scan of 10,000 routes would be ~1000x slower; an index costs a constant factor.
    expect(many).toBeGreaterThan(one / 4);
    const router = createIndexedRouter(routes(10_000));
    expect(router.match({ method: 'GET', path: '/service-9876/api/x', host: '', port: 80, headers: {} })?.payload).toBe(9876);
  });
});
