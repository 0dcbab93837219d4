import fc from 'fast-check';
import type { Answer, Client } from '../support/api';
import { makeCertificate } from '../support/tls-material';

/** The ids of one entity of each kind, made before fuzzing so item routes reach real rows. */
export type Fixtures = Record<
  'rg' | 'other' | 'svc' | 'route' | 'consumer' | 'plugin' | 'key' | 'basic' | 'acl' | 'up' | 'tgt' | 'hub' | 'ver' | 'cert' | 'pat' | 'tls' | 'sni' | 'ca',
  string
>;

async function created(res: Promise<Answer>, what: string): Promise<string> {
  const { status, body } = await res;
  if (status !== 201 && status !== 200) throw new Error(`fixture ${what}: ${status} ${JSON.stringify(body)}`);
  return body.id as string;
}

/** Creates one of everything in `default` (and a second group `other`) and answers their ids. */
export async function makeFixtures(api: Client): Promise<Fixtures> {
  const rg = (await api.get('/v1/runtime-groups/default')).body.id as string;
  const other = await created(api.post('/v1/runtime-groups', { name: 'other' }), 'runtime group');
  const base = `/v1/runtime-groups/${rg}`;
  const svc = await created(api.post(`${base}/services`, { name: 'target', url: 'http://127.0.0.1:9/x' }), 'service');
  const route = await created(api.post(`${base}/services/${svc}/routes`, { name: 'r1', paths: ['/r1'] }), 'route');
  const consumer = await created(api.post(`${base}/consumers`, { username: 'bob' }), 'consumer');
  const plugin = await created(api.post(`${base}/plugins`, { name: 'rate-limiting', config: { minute: 5 } }), 'plugin');
  const key = await created(api.post(`${base}/consumers/${consumer}/key-auth`, {}), 'key-auth');
  const basic = await created(api.post(`${base}/consumers/${consumer}/basic-auth`, { username: 'bob', password: 'pw-bob-123' }), 'basic-auth');
  const acl = await created(api.post(`${base}/consumers/${consumer}/acls`, { group: 'admins' }), 'acl');
  const up = await created(api.post(`${base}/upstreams`, { name: 'fuzz.upstream' }), 'upstream');
  const tgt = await created(api.post(`${base}/upstreams/${up}/targets`, { target: '127.0.0.1:9' }), 'target');
  const hub = await created(api.post('/v1/service-hub/services', { name: 'hub' }), 'hub service');
  const ver = await created(api.post(`/v1/service-hub/services/${hub}/versions`, { name: 'v1', runtime_group_id: rg }), 'version');
  const cert = await created(api.post(`${base}/dp-certificates`, {}), 'dp certificate');
  const pat = await created(api.post('/v1/personal-access-tokens', { name: 'fuzz' }), 'token');
  const [leaf, root] = await Promise.all([makeCertificate({ names: ['fuzz.example.test'] }), makeCertificate({ ca: true, names: ['Fuzz Root'] })]);
  const tls = await created(api.post(`${base}/certificates`, { ...leaf, snis: ['fuzz.example.test'] }), 'certificate');
  const sni = (await api.get(`${base}/snis/fuzz.example.test`)).body.id as string;
  const ca = await created(api.post(`${base}/ca_certificates`, { cert: root.cert }), 'ca certificate');
  return { rg, other, svc, route, consumer, plugin, key, basic, acl, up, tgt, hub, ver, cert, pat, tls, sni, ca };
}

/** One route of the API with the methods fuzzed on it; `{x}` placeholders are fixture ids. */
interface Target {
  path: string;
  methods: string[];
  /** False for login and health: sent without a token. */
  auth?: boolean;
}

const R = '/v1/runtime-groups/{rg}';
// DELETE is fuzzed only with ids that match nothing (see `junkSegment`), so fixtures survive the run.
const ITEM = ['GET', 'PATCH', 'PUT', 'POST'];
const COLLECTION = ['GET', 'POST', 'PUT', 'PATCH'];

/** Every route of the API (docs/API.md). */
export const TARGETS: Target[] = [
  { path: '/v1/health', methods: ['GET', 'POST'], auth: false },
  { path: '/v1/auth/login', methods: ['POST', 'GET'], auth: false },
  { path: '/v1/me', methods: ['GET', 'POST'] },
  { path: '/v1/personal-access-tokens', methods: COLLECTION },
  { path: '/v1/personal-access-tokens/{pat}', methods: ['GET', 'PATCH'] },
  { path: '/v1/runtime-groups', methods: COLLECTION },
  { path: R, methods: ITEM },
  { path: '/v1/runtime-groups/{other}', methods: ITEM },
  ...[
    'services',
    'routes',
    'consumers',
    'plugins',
    'services/{svc}/routes',
    'services/{svc}/plugins',
    'routes/{route}/plugins',
    'consumers/{consumer}/plugins',
    'consumers/{consumer}/key-auth',
    'consumers/{consumer}/basic-auth',
    'consumers/{consumer}/acls',
    'upstreams',
    'upstreams/{up}/targets',
    'certificates',
    'certificates/{tls}/snis',
    'snis',
    'ca_certificates',
  ].map((c) => ({ path: `${R}/${c}`, methods: COLLECTION })),
  ...[
    'services/{svc}',
    'routes/{route}',
    'services/{svc}/routes/{route}',
    'consumers/{consumer}',
    'plugins/{plugin}',
    'consumers/{consumer}/key-auth/{key}',
    'consumers/{consumer}/basic-auth/{basic}',
    'consumers/{consumer}/acls/{acl}',
    'upstreams/{up}',
    'upstreams/{up}/targets/{tgt}',
    'certificates/{tls}',
    'certificates/{tls}/snis/{sni}',
    'snis/{sni}',
    'ca_certificates/{ca}',
  ].map((i) => ({ path: `${R}/${i}`, methods: ITEM })),
  // Applying a random but valid declarative file would replace a group's entities: fuzz it on `other`, whose contents are expendable.
  { path: '/v1/runtime-groups/{other}/config', methods: ['GET', 'POST'] },
  { path: `${R}/config`, methods: ['GET'] },
  { path: `${R}/dp-certificates`, methods: ['GET', 'POST'] },
  { path: `${R}/dp-certificates/{cert}`, methods: ['GET', 'PATCH'] },
  { path: `${R}/dp-certificates/{cert}/renew`, methods: ['POST'] },
  { path: `${R}/launch-script`, methods: ['POST', 'GET'] },
  { path: `${R}/nodes`, methods: ['GET', 'POST'] },
  { path: `${R}/nodes/{cert}`, methods: ['GET'] },
  { path: `${R}/expected-config-hash`, methods: ['GET'] },
  { path: `${R}/upstreams/{up}/health`, methods: ['GET', 'POST'] },
  { path: `${R}/upstreams/{up}/targets/{tgt}/healthy`, methods: ['POST', 'GET'] },
  { path: `${R}/upstreams/{up}/targets/{tgt}/unhealthy`, methods: ['POST'] },
  { path: `${R}/analytics`, methods: ['GET'] },
  { path: `${R}/services/{svc}/analytics`, methods: ['GET'] },
  { path: `${R}/routes/{route}/analytics`, methods: ['GET'] },
  { path: '/v1/service-hub/services', methods: COLLECTION },
  { path: '/v1/service-hub/services/{hub}', methods: ITEM },
  { path: '/v1/service-hub/services/{hub}/versions', methods: COLLECTION },
  { path: '/v1/service-hub/services/{hub}/versions/{ver}', methods: ITEM },
  { path: '/v1/service-hub/services/{hub}/versions/{ver}/implementation', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  { path: '/v1/service-hub/services/{hub}/versions/{ver}/routes', methods: ['GET', 'POST'] },
  { path: '/v1/service-hub/services/{hub}/versions/{ver}/analytics', methods: ['GET'] },
];

/** Path segments that name nothing: ids of no row, odd encodings, very long names. */
const junkSegment = fc.oneof(
  fc.uuid().map((u) => u),
  fc.constantFrom(
    'a'.repeat(3000),
    '%00',
    'a%00b',
    '%ZZ',
    '%2e%2e',
    '..',
    '%F0%9F%98%80',
    '%C0%AF',
    'default',
    'DEFAULT',
    ' ',
    '%20',
    'null',
    'undefined',
    '__proto__',
    'constructor',
  ),
  fc
    .string({ unit: 'binary', maxLength: 30 })
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map(encodeURIComponent),
);

/** A request to fuzz: method, concrete path and whether to send the token. */
export interface FuzzRequest {
  method: string;
  path: string;
  auth: boolean;
}

/**
 * A request to one of the targets: most use the fixtures' ids; some replace
 * one id with a junk segment (and only those may be DELETEs).
 */
export function fuzzRequest(fx: Fixtures): fc.Arbitrary<FuzzRequest> {
  const fill = (path: string): string => path.replace(/\{(\w+)\}/g, (_, k: keyof Fixtures) => fx[k]);
  const real = fc
    .constantFrom(...TARGETS)
    .chain((t) => fc.constantFrom(...t.methods).map((method) => ({ method, path: fill(t.path), auth: t.auth !== false })));
  const withJunk = fc
    .tuple(fc.constantFrom(...TARGETS.filter((t) => t.path.includes('{'))), fc.constantFrom('GET', 'DELETE', 'PATCH', 'PUT', 'POST'), junkSegment)
    .map(([t, method, junk]) => {
      const holes = t.path.match(/\{\w+\}/g) ?? [];
      const hole = holes[junk.length % holes.length]!;
      return { method, path: fill(t.path.replace(hole, junk)), auth: true };
    });
  return fc.oneof({ weight: 4, arbitrary: real }, { weight: 1, arbitrary: withJunk });
}

/** Authorization headers that must all answer 401, never 5xx. */
export const badAuthorization = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    'bearer x',
    'Bearer gpat_',
    `Bearer gpat_${'A'.repeat(43)}`,
    `Bearer gpat_${'A'.repeat(5000)}`,
    // alg "none", and a token signed with another key.
    'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwib3JnIjoieCIsImp0aSI6IngifQ.',
    'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    'Bearer a.b.c',
    'Bearer ....',
    `Bearer ${'x'.repeat(10_000)}`,
  ),
  fc.string({ unit: 'grapheme-ascii', maxLength: 100 }).map((s) => `Bearer ${s}`),
);
