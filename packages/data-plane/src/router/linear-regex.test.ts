import { compileOrigins, matchOrigin } from '../plugins/cors/origins';
import { createIndexedRouter } from './indexed-router';
import { toRouteRequest, toRouterRoutes } from './conformance.cases';

/**
 * The regex fallback is on in any process that compiles configured regexes
 * (linear-regex.ts sets the flags at load): this jest process was started
 * without them on its command line. Each input below held the event loop
 * for seconds (or minutes, for the case-insensitive ones) before.
 */
const EVIL = 'a'.repeat(31);
const BOUND_MS = 1000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('configured regexes run in bounded time', () => {
  it('a regex path with nested repetition answers at once', () => {
    const router = createIndexedRouter(toRouterRoutes([{ id: 'redos', paths: ['~/redos/(a+)+$'] }]));
    const { value, ms } = timed(() => router.match(toRouteRequest({ path: `/redos/${EVIL}!` })));
    expect(value).toBeNull();
    expect(ms).toBeLessThan(BOUND_MS);
    expect(router.match(toRouteRequest({ path: `/redos/${EVIL}` }))?.payload).toBe('redos');
  });

  it('a case-insensitive path and a ~* header value answer at once (the i flag is spelled out)', () => {
    const router = createIndexedRouter(
      toRouterRoutes([
        { id: 'ci-path', paths: ['~/(?i)ci/(a+)+$'] },
        { id: 'hdr', headers: { 'x-foo': ['~*^(a+)+$'] } },
      ]),
    );
    const path = timed(() => router.match(toRouteRequest({ path: `/CI/${EVIL}!` })));
    expect(path.value).toBeNull();
    expect(path.ms).toBeLessThan(BOUND_MS);
    const header = timed(() => router.match(toRouteRequest({ path: '/', headers: { 'x-foo': `${EVIL}!` } })));
    expect(header.value).toBeNull();
    expect(header.ms).toBeLessThan(BOUND_MS);
    expect(router.match(toRouteRequest({ path: '/CI/AaA' }))?.payload).toBe('ci-path');
    expect(router.match(toRouteRequest({ path: '/', headers: { 'x-foo': 'AAA' } }))?.payload).toBe('hdr');
  });

  it('a cors origin regex answers at once', () => {
    const rules = compileOrigins(['(a+)+\\.example\\.com']);
    const { value, ms } = timed(() => matchOrigin(rules, `http://${EVIL}!.example.com`));
    expect(value).toBeNull();
    expect(ms).toBeLessThan(BOUND_MS);
    expect(matchOrigin(rules, 'http://aaa.example.com')).toBe('http://aaa.example.com');
  });

  it('refuses a route whose regex cannot run in linear time, naming the route and the reason', () => {
    expect(() => createIndexedRouter(toRouterRoutes([{ id: 'backref', paths: ['~/x/(a)\\1'] }]))).toThrow(/backref.*invalid regex path.*backreference/);
    expect(() => createIndexedRouter(toRouterRoutes([{ id: 'look', headers: { 'x-foo': ['~*a(?=b)'] } }]))).toThrow(/look.*lookahead/);
    expect(() => compileOrigins(['(a)\\1\\.example\\.com'])).toThrow(/backreference/);
  });
});
