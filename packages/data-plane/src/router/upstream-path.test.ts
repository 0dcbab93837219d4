import { upstreamPath } from './upstream-path';

// Rows from Kong's path-handling table (spec/fixtures/router_path_handling_tests): service path, route path, request path, strip_path → upstream path.
const V0: [string | null, string, string, boolean, string][] = [
  [null, '/mock', '/mock', true, '/'],
  [null, '/mock', '/mock/a/b', true, '/a/b'],
  [null, '/mock', '/mockery', true, '/ery'],
  [null, '/mock', '/mock/a', false, '/mock/a'],
  ['/', '/mock', '/mock/', true, '/'],
  ['/srv', '/mock', '/mock', true, '/srv'],
  ['/srv', '/mock', '/mock/', true, '/srv/'],
  ['/srv', '/mock', '/mock/x', true, '/srv/x'],
  ['/srv', '/mock', '/mockx', true, '/srv/x'],
  ['/srv', '/mock', '/mock/x', false, '/srv/mock/x'],
  ['/srv/', '/mock', '/mock', true, '/srv'],
  ['/srv/', '/mock', '/mock/', true, '/srv/'],
  ['/srv/', '/mock', '/mock/x', true, '/srv/x'],
  ['/srv/', '/mock', '/mock/x', false, '/srv/mock/x'],
  ['/srv', '/', '/', false, '/srv'],
];

describe('upstream path (Kong path_handling v0, the default)', () => {
  it.each(V0)('service %p, route %p, request %p, strip %p → %p', (svc, route, req, strip, expected) => {
    const prefix = req.startsWith(route) ? route : '';
    expect(upstreamPath(svc, strip, 'v0', req, prefix)).toBe(expected);
  });
  it('a route without a path condition keeps the whole request path', () => {
    expect(upstreamPath('/base', true, 'v0', '/a/b', '')).toBe('/base/a/b');
  });
});

describe('upstream path (path_handling v1)', () => {
  it('joins the service path and the rest without doubling slashes', () => {
    expect(upstreamPath('/srv/', true, 'v1', '/mock/x', '/mock')).toBe('/srv/x');
    expect(upstreamPath('/srv', true, 'v1', '/mock/x', '/mock')).toBe('/srv/x');
    expect(upstreamPath('/srv', true, 'v1', '/mock', '/mock')).toBe('/srv');
    expect(upstreamPath('/srv', false, 'v1', '/mock/x', '/mock')).toBe('/srvmock/x');
  });
});
