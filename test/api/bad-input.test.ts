import fc from 'fast-check';
import { call, type Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';

const RG = '/v1/runtime-groups/default';

describe('bad input answers 4xx, never 5xx', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let token: string;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, token } = cp);
    await api.post(`${RG}/services`, { name: 'target', host: 'target.internal' });
    await api.post(`${RG}/consumers`, { username: 'bob' });
    await api.post('/v1/service-hub/services', { name: 'hub' });
    const rg = (await api.get(RG)).body.id;
    await api.post('/v1/service-hub/services/hub/versions', { name: 'v1', runtime_group_id: rg });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  const writePaths = [
    '/v1/runtime-groups',
    `${RG}/services`,
    `${RG}/routes`,
    `${RG}/services/target/routes`,
    `${RG}/consumers`,
    `${RG}/plugins`,
    `${RG}/consumers/bob/key-auth`,
    `${RG}/consumers/bob/basic-auth`,
    `${RG}/consumers/bob/acls`,
    '/v1/service-hub/services',
    '/v1/service-hub/services/hub/versions',
    '/v1/service-hub/services/hub/versions/v1/implementation',
    '/v1/personal-access-tokens',
  ];

  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const path of writePaths) {
      const res = await call(cp.url, 'POST', path, { token, raw: '{"name": "x",' });
      expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 400, code: 'invalid_json' });
    }
    const login400 = await call(cp.url, 'POST', '/v1/auth/login', { raw: '{nope' });
    expect(login400.status).toBe(400);
  });

  it('answers a non-JSON body with 415 and an oversize body with 413 payload_too_large', async () => {
    const form = await call(cp.url, 'POST', `${RG}/services`, { token, raw: 'name=x&host=y', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('unsupported_media_type');
    const big = await call(cp.url, 'POST', `${RG}/services`, { token, raw: JSON.stringify({ name: 'big', host: 'x', tags: ['a'.repeat(2 * 1024 * 1024)] }) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
  });

  it('answers wrong types and 3,000-character names with 400 naming the field', async () => {
    const long = 'a'.repeat(3000);
    const cases: [string, unknown, string][] = [
      [`${RG}/services`, { name: long, host: 'x.internal' }, 'name'],
      [`${RG}/services`, { name: 'typed', host: 'x.internal', port: '80' }, 'port'],
      [`${RG}/services`, { name: 'typed', host: 'x.internal', retries: 1.5 }, 'retries'],
      [`${RG}/services`, { name: 'typed', url: 'not a url' }, 'url'],
      [`${RG}/routes`, { name: long, paths: ['/x'] }, 'name'],
      [`${RG}/routes`, { name: 'typed', paths: '/x' }, 'paths'],
      [`${RG}/routes`, { name: 'typed', paths: ['/x'], strip_path: 'yes' }, 'strip_path'],
      [`${RG}/consumers`, { username: long }, 'username'],
      [`${RG}/plugins`, { name: 'rate-limiting', config: 'minute=5' }, 'config'],
      ['/v1/runtime-groups', { name: long }, 'name'],
      ['/v1/service-hub/services', { name: long }, 'name'],
      ['/v1/service-hub/services', { name: 42 }, 'name'],
      ['/v1/service-hub/services/hub/versions', { name: 'v2', runtime_group_id: 'nope' }, 'runtime_group_id'],
      [`${RG}/services`, { name: 'typed', host: 'x.internal', surprise: true }, 'surprise'],
    ];
    for (const [path, body, field] of cases) {
      const res = await api.post(path, body);
      expect({ path, field, status: res.status, code: res.body.code }).toEqual({ path, field, status: 400, code: 'schema_violation' });
      expect(Object.keys(res.body.fields)).toContain(field);
    }
    expect((await api.get(`${RG}/services/${'a'.repeat(3000)}`)).status).toBe(404);
  });

  it('answers unknown routes with JSON 404', async () => {
    const res = await api.get('/v1/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await api.get('/v1/runtime-groups/nope/services')).status).toBe(404);
  });

  it('never answers 5xx to arbitrary JSON bodies on any write route', async () => {
    const paths = [...writePaths, `${RG}/services/target`, `${RG}/consumers/bob`];
    const fieldNames = [
      'name',
      'host',
      'port',
      'url',
      'paths',
      'methods',
      'service',
      'route',
      'consumer',
      'tags',
      'config',
      'username',
      'custom_id',
      'key',
      'password',
      'group',
      'runtime_group_id',
      'protocol',
      'retries',
      'headers',
      'hosts',
      'id',
      'labels',
      'display_name',
      'expires_in_days',
    ];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '\u0000',
        'a\u0000b',
        '00000000-0000-4000-8000-000000000000',
        'target',
        'bob',
        { id: 'x' },
        { name: 'target' },
        { id: '00000000-0000-4000-8000-000000000000' },
        -1,
        1e308,
        2 ** 31,
      ),
    );
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...fieldNames), value, { maxKeys: 6 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom('POST', 'PATCH', 'PUT'), body, async (path, method, payload) => {
        const res = await call(cp.url, method, path, { token, body: payload });
        if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)} for ${JSON.stringify(payload)}`);
        if (res.status >= 400) expect(typeof res.body.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('stores no text with NUL characters and answers 400 for them', async () => {
    const res = await api.post(`${RG}/consumers`, { username: 'nul\u0000name' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('schema_violation');
    expect(res.body.fields).toHaveProperty('username');
    const inPath = await api.get(`${RG}/services/a%00b`);
    expect(inPath.status).toBeGreaterThanOrEqual(400);
    expect(inPath.status).toBeLessThan(500);
  });
});
