import http from 'node:http';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

const KEY = 'kong-key-0123456789';

/** One request whose header lines are sent exactly as listed (repeats and case kept), with an optional body. */
function rawCall(
  base: string,
  pathAndQuery: string,
  lines: [string, string][],
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: Record<string, unknown> }> {
  // With the header lines given as a list, Node adds no Host line of its own.
  const flat = ['host', new URL(base).host, ...lines.flat()];
  if (body !== undefined) flat.push('content-length', String(Buffer.byteLength(body)));
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathAndQuery}`, { method: body === undefined ? 'GET' : 'POST', headers: flat, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * key-auth cases written from Kong's key-auth handler and access spec (≥ 3.7):
 * the `WWW-Authenticate` challenge with and without `realm`, a key given twice
 * in one place, and which place wins — through a real DP and echo upstream.
 */
describe('key-auth as Kong answers', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'echo', url: echo.url });
    const alice = b.consumer({ username: 'alice' }).id;
    b.keyAuth(alice, KEY);
    b.plugin('key-auth', { route: b.route({ name: 'plain', service: svc, paths: ['/plain'] }) });
    b.plugin('key-auth', { route: b.route({ name: 'realm', service: svc, paths: ['/realm'] }), config: { realm: 'test-realm' } });
    b.plugin('key-auth', { route: b.route({ name: 'two-names', service: svc, paths: ['/two-names'] }), config: { key_names: ['first', 'second'] } });
    b.plugin('key-auth', { route: b.route({ name: 'underscore', service: svc, paths: ['/underscore'] }), config: { key_names: ['api_key'] } });
    b.plugin('key-auth', { route: b.route({ name: 'hide', service: svc, paths: ['/hide'] }), config: { hide_credentials: true } });
    b.plugin('key-auth', {
      route: b.route({ name: 'body', service: svc, paths: ['/body'] }),
      config: { key_in_body: true, hide_credentials: true },
    });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  describe('WWW-Authenticate', () => {
    it('is `Key` on every 401 when realm is not set', async () => {
      const missing = await call(dp.proxy, '/plain');
      expect([missing.status, missing.json, missing.headers.get('www-authenticate')]).toEqual([401, { message: 'No API key found in request' }, 'Key']);
      const empty = await call(dp.proxy, '/plain', { headers: { apikey: '' } });
      expect([empty.status, empty.json.message, empty.headers.get('www-authenticate')]).toEqual([401, 'No API key found in request', 'Key']);
      const emptyQuery = await call(dp.proxy, '/plain?apikey');
      expect([emptyQuery.status, emptyQuery.json.message, emptyQuery.headers.get('www-authenticate')]).toEqual([401, 'No API key found in request', 'Key']);
      const wrong = await call(dp.proxy, '/plain?apikey=123');
      expect([wrong.status, wrong.json, wrong.headers.get('www-authenticate')]).toEqual([401, { message: 'Unauthorized' }, 'Key']);
    });

    it('is `Key realm="<realm>"` when realm is set, for a missing, wrong or duplicate key', async () => {
      for (const a of [
        await call(dp.proxy, '/realm'),
        await call(dp.proxy, '/realm', { headers: { apikey: 'nope' } }),
        await call(dp.proxy, '/realm?apikey=a&apikey=b'),
      ]) {
        expect(a.status).toBe(401);
        expect(a.headers.get('www-authenticate')).toBe('Key realm="test-realm"');
      }
    });
  });

  describe('a key given twice', () => {
    it('in two header lines is 401 "Duplicate API key found", even when both are the right key', async () => {
      const a = await rawCall(dp.proxy, '/plain', [
        ['apikey', KEY],
        ['apikey', KEY],
      ]);
      expect([a.status, a.json, a.headers['www-authenticate']]).toEqual([401, { message: 'Duplicate API key found' }, 'Key']);
    });

    it('in two header lines whose names differ only in case is a duplicate too', async () => {
      const a = await rawCall(dp.proxy, '/plain', [
        ['apikey', KEY],
        ['APIKEY', KEY],
      ]);
      expect([a.status, a.json.message]).toEqual([401, 'Duplicate API key found']);
    });

    it('but one header line with a comma in it is one key (a wrong one here), not two', async () => {
      const a = await rawCall(dp.proxy, '/plain', [['apikey', `${KEY}, ${KEY}`]]);
      expect([a.status, a.json.message]).toEqual([401, 'Unauthorized']);
    });

    it('as a repeated query argument is 401 "Duplicate API key found"', async () => {
      const a = await call(dp.proxy, `/plain?apikey=${KEY}&apikey=${KEY}`);
      expect([a.status, a.json, a.headers.get('www-authenticate')]).toEqual([401, { message: 'Duplicate API key found' }, 'Key']);
    });

    it('as a repeated form field or a JSON list or object in the body (key_in_body) is 401 "Duplicate API key found"', async () => {
      const a = await call(dp.proxy, '/body', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `apikey=${KEY}&apikey=${KEY}`,
      });
      expect([a.status, a.json.message]).toEqual([401, 'Duplicate API key found']);
      for (const value of [[KEY, KEY], { key: KEY }]) {
        const json = await call(dp.proxy, '/body', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apikey: value }),
        });
        expect([json.status, json.json.message]).toEqual([401, 'Duplicate API key found']);
      }
    });
  });

  describe('which place wins', () => {
    it('the header wins over the query: a right header passes whatever the query holds, even a duplicate', async () => {
      expect((await call(dp.proxy, '/plain?apikey=wrong', { headers: { apikey: KEY } })).status).toBe(200);
      expect((await call(dp.proxy, '/plain?apikey=a&apikey=b', { headers: { apikey: KEY } })).status).toBe(200);
      const wrongHeader = await call(dp.proxy, `/plain?apikey=${KEY}`, { headers: { apikey: 'wrong' } });
      expect([wrongHeader.status, wrongHeader.json.message]).toEqual([401, 'Unauthorized']);
    });

    it('a duplicate header is refused even when the query holds the right key', async () => {
      const a = await rawCall(dp.proxy, `/plain?apikey=${KEY}`, [
        ['apikey', 'a'],
        ['apikey', 'b'],
      ]);
      expect([a.status, a.json.message]).toEqual([401, 'Duplicate API key found']);
    });

    it('an earlier key name wins over a later one wherever each is', async () => {
      expect((await call(dp.proxy, `/two-names?first=${KEY}`, { headers: { second: 'wrong' } })).status).toBe(200);
      expect((await call(dp.proxy, '/two-names?first=wrong', { headers: { second: KEY } })).status).toBe(401);
      expect((await call(dp.proxy, '/two-names', { headers: { second: KEY } })).status).toBe(200);
      // `?first` without `=` is a flag to Kong, not an (empty) key: the search goes on to `second`.
      expect((await call(dp.proxy, '/two-names?first', { headers: { second: KEY } })).status).toBe(200);
      const empty = await call(dp.proxy, '/two-names?first=', { headers: { second: KEY } });
      expect([empty.status, empty.json.message]).toEqual([401, 'No API key found in request']);
    });

    it('the header wins over the body, and the body is used when neither header nor query has the key', async () => {
      const json = { 'content-type': 'application/json' };
      expect((await call(dp.proxy, '/body', { method: 'POST', headers: json, body: JSON.stringify({ apikey: KEY }) })).status).toBe(200);
      const header = await call(dp.proxy, '/body', { method: 'POST', headers: { ...json, apikey: 'wrong' }, body: JSON.stringify({ apikey: KEY }) });
      expect([header.status, header.json.message]).toEqual([401, 'Unauthorized']);
    });

    it('finds a key name with an underscore in a header spelled with a hyphen (Kong’s header lookup)', async () => {
      expect((await call(dp.proxy, '/underscore', { headers: { 'api-key': KEY } })).status).toBe(200);
      expect((await call(dp.proxy, '/underscore', { headers: { api_key: KEY } })).status).toBe(200);
      expect((await call(dp.proxy, `/underscore?api_key=${KEY}`)).status).toBe(200);
    });
  });

  describe('multipart/form-data bodies (key_in_body), as Kong reads them', () => {
    it('find the key, and hide_credentials removes that part and keeps the others', async () => {
      const form = new FormData();
      form.append('other', 'kept');
      form.append('apikey', KEY);
      const a = await call(dp.proxy, '/body', { method: 'POST', body: form });
      expect(a.status).toBe(200);
      expect(a.json.headers!['x-consumer-username']).toBe('alice');
      expect(a.json.body).toContain('name="other"');
      expect(a.json.body).toContain('kept');
      expect(a.json.body).not.toContain('apikey');
      expect(a.json.body).not.toContain(KEY);
      expect(Number(a.json.headers!['content-length'])).toBe(Buffer.byteLength(a.json.body!));
    });

    it('a wrong key or the field twice is refused as Kong refuses it', async () => {
      const wrong = new FormData();
      wrong.append('apikey', 'nope');
      expect((await call(dp.proxy, '/body', { method: 'POST', body: wrong })).json.message).toBe('Unauthorized');
      const twice = new FormData();
      twice.append('apikey', KEY);
      twice.append('apikey', KEY);
      expect((await call(dp.proxy, '/body', { method: 'POST', body: twice })).json.message).toBe('Duplicate API key found');
    });
  });

  describe('hide_credentials', () => {
    it('removes the key name from the header and the query alike, wherever the key was found', async () => {
      const a = await call(dp.proxy, '/hide?apikey=other&keep=1', { headers: { apikey: KEY } });
      expect(a.status).toBe(200);
      expect(a.json.headers!.apikey).toBeUndefined();
      expect(a.json.query).toEqual({ keep: '1' });
    });

    it('with key_in_body, removes it from the body too when the key came in the header', async () => {
      const a = await call(dp.proxy, '/body', {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: KEY },
        body: JSON.stringify({ apikey: 'body-copy', other: 1 }),
      });
      expect(a.status).toBe(200);
      expect(a.json.headers!.apikey).toBeUndefined();
      expect(JSON.parse(a.json.body!)).toEqual({ other: 1 });
    });
  });
});
