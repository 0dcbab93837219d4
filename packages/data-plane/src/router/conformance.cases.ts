import type { RouterRoute, RouteRequest, UriCaptures } from './types';

/** A route in a case: only the fields it sets; id doubles as payload. */
export interface CaseRoute {
  id: string;
  methods?: string[];
  hosts?: string[];
  paths?: string[];
  headers?: Record<string, string[]>;
  snis?: string[];
  regex_priority?: number;
  created_at?: number;
}

/** A request in a case; unset fields default to GET, no Host header. */
export interface CaseRequest {
  method?: string;
  path: string;
  host?: string;
  port?: number;
  /** Header lines by name: a string is one line, an array one line per element. */
  headers?: Record<string, string | string[]>;
  /** The TLS server name of a request over TLS (null: none sent); absent for plain HTTP. */
  sni?: string | null;
}

export interface ConformanceCase {
  name: string;
  routes: CaseRoute[];
  /** Each request with the route id it must match (null: no match) and, optionally, the matched prefix. */
  expect: [CaseRequest, string | null, string?][];
  /** Optionally, the `uri_captures` of each request's match, in the same order (undefined: not checked). */
  captures?: (UriCaptures | null | undefined)[];
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
    snis: r.snis ?? [],
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
    headers: { headersDistinct: Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? [v] : v])) },
    sni: c.sni,
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
    routes: [{ id: 'ci', paths: ['~/(?i)Case/(?P<id>\\d+)'] }],
    expect: [
      [{ path: '/case/5' }, 'ci', '/case/5'],
      [{ path: '/CASE/5/x' }, 'ci', '/CASE/5'],
    ],
  },
  {
    name: 'inline flags apply from where they stand to the end of their group; (?i:…) only inside it',
    routes: [
      { id: 'tail', paths: ['~/Api/(?i)Users$'] },
      { id: 'scoped', paths: ['~/(?i:v)(1|2)/Items$'] },
      { id: 'group', paths: ['~/(x(?i)y)Z$'] },
    ],
    expect: [
      [{ path: '/Api/USERS' }, 'tail'],
      [{ path: '/api/users' }, null],
      [{ path: '/V1/Items' }, 'scoped'],
      [{ path: '/V1/ITEMS' }, null],
      [{ path: '/xYZ' }, 'group'],
      [{ path: '/xYz' }, null],
      [{ path: '/XyZ' }, null],
    ],
  },
  {
    name: "a regex path's captures reach uri_captures by number (0: the whole match) and by name; none without groups",
    routes: [
      { id: 'user', paths: ['~/users/(?P<user_id>\\d+)/profile/?(?P<scope>[a-z]*)'] },
      { id: 'optional', paths: ['~/(users/)?1984/(?<subpath>profile)$'] },
      { id: 'plain-regex', paths: ['~/plain/\\d+'] },
      { id: 'prefix', paths: ['/hello'] },
    ],
    expect: [
      [{ path: '/users/1984/profile/email' }, 'user'],
      [{ path: '/users/1984/profile' }, 'user'],
      [{ path: '/1984/profile' }, 'optional'],
      [{ path: '/plain/7' }, 'plain-regex'],
      [{ path: '/hello/world' }, 'prefix'],
    ],
    captures: [
      { unnamed: ['/users/1984/profile/email', '1984', 'email'], named: { user_id: '1984', scope: 'email' } },
      { unnamed: ['/users/1984/profile', '1984', ''], named: { user_id: '1984', scope: '' } },
      { unnamed: ['/1984/profile', undefined, 'profile'], named: { subpath: 'profile' } },
      null,
      null,
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
      [{ path: '/', headers: { 'x-client': ['desktop', 'mobile-3'] } }, 'r'],
      [{ path: '/', headers: { 'x-client': 'mobile-x' } }, null],
    ],
  },
  {
    name: 'a header line containing commas is one value, never split',
    routes: [
      { id: 'exact', headers: { 'x-client': ['mobile-3'] } },
      { id: 'regex', headers: { 'x-env': ['~*^prod$'] } },
      { id: 'whole', headers: { 'x-list': ['a, b'] } },
    ],
    expect: [
      [{ path: '/', headers: { 'x-client': 'desktop, mobile-3' } }, null],
      [{ path: '/', headers: { 'x-client': ['desktop', 'mobile-3'] } }, 'exact'],
      [{ path: '/', headers: { 'x-env': 'dev,prod' } }, null],
      [{ path: '/', headers: { 'x-env': ['dev', 'PROD'] } }, 'regex'],
      [{ path: '/', headers: { 'x-list': 'A, B' } }, 'whole'],
      [{ path: '/', headers: { 'x-list': ['a', 'b'] } }, null],
    ],
  },
  {
    name: 'every line of a header Node would fold or drop (user-agent, authorization, referer) is seen',
    routes: [
      { id: 'ua', headers: { 'user-agent': ['~*linux'] } },
      { id: 'auth', headers: { authorization: ['Bearer b'] } },
    ],
    expect: [
      [{ path: '/', headers: { 'user-agent': ['curl/8', 'Mozilla/5.0 (X11; Linux x86_64)'] } }, 'ua'],
      [{ path: '/', headers: { authorization: ['Bearer a', 'Bearer b'] } }, 'auth'],
      [{ path: '/', headers: { authorization: ['Bearer a', 'Bearer c'] } }, null],
    ],
  },
  {
    name: "a route header name matches with '_' and '-' alike, as in Kong (user_agent routes on User-Agent)",
    routes: [{ id: 'u', headers: { user_agent: ['~*windows|linux|os\\s+x\\s*[\\d\\._]+|solaris|bsd'] } }],
    expect: [
      [{ path: '/', headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' } }, 'u'],
      [{ path: '/', headers: { user_agent: 'linux' } }, 'u'],
      [{ path: '/', headers: { 'user-agent': 'curl/8' } }, null],
    ],
  },
  {
    name: "on a full tie the higher route id wins, as Kong's ATC router orders matchers of one priority, never creation time",
    routes: [
      { id: '6f1c0f55-0000-4000-8000-000000000002', paths: ['/same'], created_at: 100 },
      { id: '6f1c0f55-0000-4000-8000-00000000000a', paths: ['/same'], created_at: 200 },
      { id: '0a1c0f55-0000-4000-8000-000000000001', paths: ['/same'], created_at: 50 },
    ],
    expect: [[{ path: '/same/x' }, '6f1c0f55-0000-4000-8000-00000000000a']],
  },
  {
    // The proxy hands the router the normalized path, one character per byte: `/%C3%A4` and a raw UTF-8 `/ä` both arrive as '/\xc3\xa4'.
    name: 'a non-ASCII prefix path matches by its UTF-8 bytes, as Kong compares paths',
    routes: [{ id: 'umlaut', paths: ['/ä'] }],
    expect: [
      [{ path: '/\xc3\xa4/x' }, 'umlaut'],
      [{ path: '/\xe4' }, null],
    ],
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
  {
    name: 'a host with a port outranks the same host without one, whichever is older',
    routes: [
      { id: 'any-port', hosts: ['domain-1.org', 'domain-2.org'], created_at: 100 },
      { id: 'port-321', hosts: ['domain-1.org:321', 'domain-2.org'], created_at: 200 },
      { id: 'only-port', hosts: ['domain-3.org:321'] },
    ],
    expect: [
      [{ path: '/', host: 'domain-1.org', port: 321 }, 'port-321'],
      [{ path: '/', host: 'domain-1.org', port: 80 }, 'any-port'],
      [{ path: '/', host: 'domain-1.org', port: 123 }, 'any-port'],
      // domain-2.org has no port on either: a full tie, the higher route id wins.
      [{ path: '/', host: 'domain-2.org', port: 321 }, 'port-321'],
      [{ path: '/', host: 'domain-3.org', port: 321 }, 'only-port'],
      [{ path: '/', host: 'domain-3.org', port: 123 }, null],
    ],
  },
  {
    name: 'a wildcard host with a port outranks the wildcard without, whichever is older (default ports included)',
    routes: [
      { id: 'suffix', hosts: ['*.route.com'], created_at: 100 },
      { id: 'prefix', hosts: ['route.*'], created_at: 101 },
      { id: 'suffix-123', hosts: ['*.route.net:123'], created_at: 200 },
      { id: 'prefix-123', hosts: ['route.*:123'], created_at: 201 },
      { id: 'prefix-80', hosts: ['route.*:80', 'route.com.*'], created_at: 202 },
    ],
    expect: [
      [{ path: '/', host: 'foo.route.net', port: 123 }, 'suffix-123'],
      [{ path: '/', host: 'foo.route.net', port: 456 }, null],
      [{ path: '/', host: 'route.org', port: 123 }, 'prefix-123'],
      [{ path: '/', host: 'route.org', port: 80 }, 'prefix-80'],
      [{ path: '/', host: 'route.org', port: 8080 }, 'prefix'],
      [{ path: '/', host: 'foo.route.com', port: 123 }, 'suffix'],
    ],
  },
  {
    name: 'a route with hosts (plain or wildcard) outranks an older method-only route',
    routes: [
      { id: 'method', methods: ['GET'], created_at: 100 },
      { id: 'wildcard', hosts: ['domain.*'], created_at: 200 },
      { id: 'trace', methods: ['TRACE'], created_at: 100 },
      { id: 'plain', hosts: ['domain-1.org', 'domain-2.org'], created_at: 200 },
    ],
    expect: [
      [{ method: 'GET', path: '/', host: 'nothing.com' }, 'method'],
      [{ method: 'GET', path: '/', host: 'domain.com' }, 'wildcard'],
      [{ method: 'TRACE', path: '/', host: 'domain-2.org' }, 'plain'],
      [{ method: 'TRACE', path: '/', host: 'other.org' }, 'trace'],
    ],
  },
  {
    name: "at Kong's equal priority a route with hosts outranks one without, not creation order",
    routes: [
      { id: 'regex-method', methods: ['GET'], paths: ['~/r/\\d+'], created_at: 100 },
      { id: 'regex-host', hosts: ['*.test'], paths: ['~/r/\\d+'], created_at: 200 },
      { id: 'method-only', methods: ['GET'], created_at: 100 },
      { id: 'regex-only', paths: ['~/s/\\d+'], created_at: 200 },
    ],
    expect: [
      [{ path: '/r/1', host: 'a.test' }, 'regex-host'],
      [{ path: '/r/1', host: 'a.org' }, 'regex-method'],
      [{ path: '/s/1', host: 'a.org' }, 'regex-only'],
    ],
  },
  {
    name: "Kong's priority still comes first: a longer prefix outranks a wildcard host, a plain host a wildcard with a port",
    routes: [
      { id: 'wild', hosts: ['*.test'], created_at: 100 },
      { id: 'path', paths: ['/foo'], created_at: 200 },
      { id: 'wild-port', hosts: ['*.example.com:8080'], created_at: 100 },
      { id: 'plain', hosts: ['api.example.com'], created_at: 200 },
    ],
    expect: [
      [{ path: '/foo', host: 'a.test' }, 'path'],
      [{ path: '/bar', host: 'a.test' }, 'wild'],
      [{ path: '/', host: 'api.example.com', port: 8080 }, 'plain'],
      [{ path: '/', host: 'web.example.com', port: 8080 }, 'wild-port'],
    ],
  },
  {
    name: 'snis are checked on TLS requests only (exact, *.suffix, prefix.*), and count as one more condition',
    routes: [
      { id: 'sni-path', snis: ['*.example.test', 'api.*', 'exact.test'], paths: ['/'], created_at: 200 },
      { id: 'path', paths: ['/'], created_at: 100 },
    ],
    expect: [
      [{ path: '/a', sni: 'a.example.test' }, 'sni-path'],
      [{ path: '/a', sni: 'API.eu' }, 'sni-path'],
      [{ path: '/a', sni: 'exact.test.' }, 'sni-path'],
      [{ path: '/a', sni: 'example.test' }, 'path'],
      [{ path: '/a', sni: null }, 'path'],
      [{ path: '/a' }, 'sni-path'],
    ],
  },
];
