import type { RouterRoute, RouteRequest } from './types';

/** A route in a case: only the fields it sets; id doubles as payload. */
export interface CaseRoute {
  id: string;
  methods?: string[];
  hosts?: string[];
  paths?: string[];
  headers?: Record<string, string[]>;
  regex_priority?: number;
  created_at?: number;
}

/** A request in a case; unset fields default to GET, no Host header. */
export interface CaseRequest {
  method?: string;
  path: string;
  host?: string;
  port?: number;
  headers?: Record<string, string>;
}

export interface ConformanceCase {
  name: string;
  routes: CaseRoute[];
  /** Each request with the route id it must match (null: no match) and, optionally, the matched prefix. */
  expect: [CaseRequest, string | null, string?][];
}

/** Turns case routes into router routes; created_at defaults to the position, so later routes are newer. */
export function toRouterRoutes(routes: CaseRoute[]): RouterRoute<string>[] {
  return routes.map((r, i) => ({
    id: r.id,
    created_at: r.created_at ?? 1_700_000_000 + i,
    methods: r.methods ?? [],
    hosts: r.hosts ?? [],
    paths: r.paths ?? [],
    headers: r.headers ?? {},
    regex_priority: r.regex_priority ?? 0,
    payload: r.id,
  }));
}

export function toRouteRequest(c: CaseRequest): RouteRequest {
  return {
    method: c.method ?? 'GET',
    path: c.path,
    host: (c.host ?? '').toLowerCase(),
    port: c.port ?? 80,
    headers: Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

/**
 * Kong's matching rules (docs/PROXY.md, Routing; Kong's traditional_compatible
 * router), as cases every Router implementation must pass.
 */
export const CONFORMANCE_CASES: ConformanceCase[] = [
  {
    name: 'a prefix path matches the path and anything starting with it (plain string prefix, as Kong)',
    routes: [{ id: 'mock', paths: ['/mock'] }],
    expect: [
      [{ path: '/mock' }, 'mock', '/mock'],
      [{ path: '/mock/a/b' }, 'mock', '/mock'],
      [{ path: '/mockery' }, 'mock', '/mock'],
      [{ path: '/moc' }, null],
      [{ path: '/' }, null],
    ],
  },
  {
    name: 'methods restrict a route; a method not listed does not match',
    routes: [{ id: 'get', methods: ['GET'], paths: ['/mock'] }],
    expect: [
      [{ method: 'GET', path: '/mock' }, 'get'],
      [{ method: 'POST', path: '/mock' }, null],
      [{ method: 'HEAD', path: '/mock' }, null],
    ],
  },
  {
    name: 'the longest prefix wins',
    routes: [
      { id: 'short', paths: ['/a'] },
      { id: 'long', paths: ['/a/b'] },
      { id: 'root', paths: ['/'] },
    ],
    expect: [
      [{ path: '/a/b/c' }, 'long', '/a/b'],
      [{ path: '/a/c' }, 'short', '/a'],
      [{ path: '/x' }, 'root', '/'],
    ],
  },
  {
    name: 'regex paths are tried before prefixes, even longer prefixes',
    routes: [
      { id: 'prefix', paths: ['/users/123/profile'] },
      { id: 'regex', paths: ['~/users/\\d+'] },
    ],
    expect: [
      [{ path: '/users/123/profile' }, 'regex', '/users/123'],
      [{ path: '/users/abc' }, null],
    ],
  },
  {
    name: 'among regex paths the highest regex_priority wins, whatever the order of creation',
    routes: [
      { id: 'low', paths: ['~/items/\\w+'], regex_priority: 1 },
      { id: 'high', paths: ['~/items/\\d+'], regex_priority: 10 },
      { id: 'default', paths: ['~/items'] },
    ],
    expect: [
      [{ path: '/items/42' }, 'high'],
      [{ path: '/items/abc' }, 'low'],
      [{ path: '/items' }, 'default'],
    ],
  },
  {
    name: 'regex paths are anchored at the start of the path, not at its end',
    routes: [{ id: 'versioned', paths: ['~/v\\d+/'] }],
    expect: [
      [{ path: '/v1/things' }, 'versioned', '/v1/'],
      [{ path: '/api/v1/things' }, null],
    ],
  },
  {
    name: 'a regex that does not match falls back to a prefix',
    routes: [
      { id: 'regex', paths: ['~/orders/\\d+$'] },
      { id: 'prefix', paths: ['/orders'] },
    ],
    expect: [
      [{ path: '/orders/7' }, 'regex'],
      [{ path: '/orders/7/lines' }, 'prefix'],
    ],
  },
  {
    name: 'PCRE spellings: (?i) and (?P<name>) work',
    routes: [{ id: 'ci', paths: ['~(?i)/Case/(?P<id>\\d+)'] }],
    expect: [
      [{ path: '/case/5' }, 'ci', '/case/5'],
      [{ path: '/CASE/5/x' }, 'ci', '/CASE/5'],
    ],
  },
  {
    name: 'routes with more matching conditions are tried first',
    routes: [
      { id: 'path-only', paths: ['/foo/bar/baz'] },
      { id: 'method-and-path', methods: ['GET'], paths: ['/'] },
    ],
    expect: [
      [{ method: 'GET', path: '/foo/bar/baz' }, 'method-and-path'],
      [{ method: 'POST', path: '/foo/bar/baz' }, 'path-only'],
    ],
  },
  {
    name: 'a plain host outranks a wildcard host',
    routes: [
      { id: 'wildcard', hosts: ['*.example.com'], paths: ['/'] },
      { id: 'plain', hosts: ['api.example.com'], paths: ['/'] },
    ],
    expect: [
      [{ path: '/', host: 'api.example.com' }, 'plain'],
      [{ path: '/', host: 'web.example.com' }, 'wildcard'],
    ],
  },
  {
    name: 'a route mixing plain and wildcard hosts ranks as wildcard',
    routes: [
      { id: 'mixed', hosts: ['api.example.com', '*.example.org'], paths: ['/long/path'] },
      { id: 'plain', hosts: ['api.example.com'], paths: ['/'] },
    ],
    expect: [[{ path: '/long/path', host: 'api.example.com' }, 'plain']],
  },
  {
    name: 'suffix wildcards need at least one label before the suffix',
    routes: [{ id: 'w', hosts: ['*.example.com'] }],
    expect: [
      [{ path: '/', host: 'a.example.com' }, 'w'],
      [{ path: '/', host: 'a.b.example.com' }, 'w'],
      [{ path: '/', host: 'example.com' }, null],
      [{ path: '/', host: 'aexample.com' }, null],
    ],
  },
  {
    name: 'prefix wildcards match any ending',
    routes: [{ id: 'w', hosts: ['example.*'] }],
    expect: [
      [{ path: '/', host: 'example.org' }, 'w'],
      [{ path: '/x', host: 'example.co.uk' }, 'w'],
      [{ path: '/', host: 'www.example.org' }, null],
    ],
  },
  {
    name: 'hosts are matched case-insensitively and without the port unless the route names one',
    routes: [
      { id: 'any-port', hosts: ['Example.com'] },
      { id: 'port-8080', hosts: ['example.com:8080'], paths: ['/p'] },
    ],
    expect: [
      [{ path: '/', host: 'EXAMPLE.COM', port: 9000 }, 'any-port'],
      [{ path: '/p', host: 'example.com', port: 8080 }, 'port-8080'],
      [{ path: '/p', host: 'example.com', port: 80 }, 'any-port'],
    ],
  },
  {
    name: 'a host route without paths matches every path of that host only',
    routes: [{ id: 'h', hosts: ['a.test'] }],
    expect: [
      [{ path: '/anything/at/all', host: 'a.test' }, 'h', ''],
      [{ path: '/', host: 'b.test' }, null],
      [{ path: '/' }, null],
    ],
  },
  {
    name: 'with equal conditions, a plain host route outranks a longer path',
    routes: [
      { id: 'path', paths: ['/foo'] },
      { id: 'host', hosts: ['x.test'] },
    ],
    expect: [
      [{ path: '/foo', host: 'x.test' }, 'host'],
      [{ path: '/foo', host: 'y.test' }, 'path'],
    ],
  },
  {
    name: 'headers must all match; values compare case-insensitively',
    routes: [{ id: 'h', headers: { 'X-Version': ['v1', 'v2'], 'x-env': ['prod'] } }],
    expect: [
      [{ path: '/', headers: { 'x-version': 'V2', 'x-env': 'Prod' } }, 'h'],
      [{ path: '/', headers: { 'x-version': 'v1' } }, null],
      [{ path: '/', headers: { 'x-version': 'v3', 'x-env': 'prod' } }, null],
    ],
  },
  {
    name: 'more headers outrank fewer headers',
    routes: [
      { id: 'one', headers: { 'x-a': ['1'] }, paths: ['/long/er/path'] },
      { id: 'two', headers: { 'x-a': ['1'], 'x-b': ['2'] }, paths: ['/'] },
    ],
    expect: [
      [{ path: '/long/er/path', headers: { 'x-a': '1', 'x-b': '2' } }, 'two'],
      [{ path: '/long/er/path', headers: { 'x-a': '1' } }, 'one'],
    ],
  },
  {
    name: 'a ~* header value is a case-insensitive regex; repeated header lines match if any line does',
    routes: [{ id: 'r', headers: { 'x-client': ['~*^mobile-\\d+$'] } }],
    expect: [
      [{ path: '/', headers: { 'x-client': 'MOBILE-12' } }, 'r'],
      [{ path: '/', headers: { 'x-client': 'desktop, mobile-3' } }, 'r'],
      [{ path: '/', headers: { 'x-client': 'mobile-x' } }, null],
    ],
  },
  {
    name: 'on a full tie the older route wins',
    routes: [
      { id: 'newer', paths: ['/same'], created_at: 200 },
      { id: 'older', paths: ['/same'], created_at: 100 },
    ],
    expect: [[{ path: '/same/x' }, 'older']],
  },
  {
    name: 'each path of a route is ranked on its own',
    routes: [
      { id: 'multi', paths: ['/a', '/abc/def'] },
      { id: 'mid', paths: ['/abc'] },
    ],
    expect: [
      [{ path: '/abc/def/x' }, 'multi', '/abc/def'],
      [{ path: '/abcx' }, 'mid', '/abc'],
      [{ path: '/ab' }, 'multi', '/a'],
    ],
  },
  {
    name: 'a higher-priority route whose other conditions fail gives way to a lower one',
    routes: [
      { id: 'strict', methods: ['POST'], hosts: ['api.test'], paths: ['/v1'] },
      { id: 'loose', paths: ['/v1'] },
    ],
    expect: [
      [{ method: 'POST', path: '/v1/x', host: 'api.test' }, 'strict'],
      [{ method: 'GET', path: '/v1/x', host: 'api.test' }, 'loose'],
      [{ method: 'POST', path: '/v1/x', host: 'other.test' }, 'loose'],
    ],
  },
  {
    name: 'plain-host routes on one host and host-less routes are compared by priority, not by where they are filed',
    routes: [
      { id: 'hostless-method-path', methods: ['GET'], paths: ['/x'] },
      { id: 'host-only', hosts: ['h.test'] },
      { id: 'host-path', hosts: ['h.test'], paths: ['/x/y'] },
    ],
    expect: [
      [{ path: '/x/y', host: 'h.test' }, 'host-path'],
      [{ path: '/x/z', host: 'h.test' }, 'hostless-method-path'],
      [{ method: 'PUT', path: '/x/z', host: 'h.test' }, 'host-only'],
    ],
  },
];
