import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../../packages/protocol/src/node';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { applyConfig, request, startTestDataPlane } from '../data-plane/support';
import { basicAuth, consumer, gateway, keyAuth, plugin, route, service } from '../support/config-builder';

const KEY = 'the-secret-api-key-123';
const PASSWORD = 'the-basic-password-456';
const CONSUMER = '3a0e0d0c-0b0a-4908-8706-050403020100';

/**
 * What the proxy must not pass on: hop-by-hop headers (both ways), and the
 * credentials an auth plugin was told to hide (header, query string and
 * body); nor may a client pose as a consumer by sending X-Consumer-* itself.
 */
describe('proxy: what is never forwarded', () => {
  let dp: DataPlane & { dir: string };
  let upstream: http.Server;
  let last: { url: string; headers: http.IncomingHttpHeaders; body: string } | undefined;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        last = { url: req.url ?? '', headers: req.headers, body };
        // An upstream naming its own hop-by-hop headers: none may reach the client.
        res.writeHead(200, {
          'content-type': 'text/plain',
          connection: 'X-Upstream-Hop, keep-alive',
          'x-upstream-hop': 'secret-topology',
          'keep-alive': 'timeout=5',
          'proxy-authenticate': 'Basic realm="inner"',
          'x-kept': 'yes',
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    dp = await startTestDataPlane();
    const svc = service({ name: 'up', host: '127.0.0.1', port });
    const hiddenKey = route({ service: svc, name: 'hidden-key', paths: ['/hidden-key'] });
    const shownKey = route({ service: svc, name: 'shown-key', paths: ['/shown-key'] });
    const hiddenBasic = route({ service: svc, name: 'hidden-basic', paths: ['/hidden-basic'] });
    const open = route({ service: svc, name: 'open', paths: ['/open'] });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [hiddenKey, shownKey, hiddenBasic, open],
        consumers: [consumer({ id: CONSUMER, username: 'alice' })],
        plugins: [
          plugin('key-auth', { route: { id: hiddenKey.id }, config: { key_names: ['apikey', 'x-api-key'], hide_credentials: true, key_in_body: true } }),
          plugin('key-auth', { route: { id: shownKey.id }, config: { key_names: ['apikey'], hide_credentials: false } }),
          plugin('basic-auth', { route: { id: hiddenBasic.id }, config: { hide_credentials: true } }),
        ],
        keyauth_credentials: [keyAuth(CONSUMER, KEY, { id: '4a0e0d0c-0b0a-4908-8706-050403020100' })],
        basicauth_credentials: [basicAuth(CONSUMER, 'alice', await hashPassword(PASSWORD), { id: '5a0e0d0c-0b0a-4908-8706-050403020100' })],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((r) => upstream?.close(() => r()));
  });

  const proxy = (path: string, opts: Parameters<typeof request>[1] = {}) => request(`http://127.0.0.1:${dp.proxyPort}${path}`, opts);

  it('hides a key-auth key sent in a header, in the query string or in the body when hide_credentials is on', async () => {
    expect((await proxy('/hidden-key/h', { headers: { apikey: KEY } })).status).toBe(200);
    expect(last?.headers.apikey).toBeUndefined();
    expect((await proxy('/hidden-key/h2', { headers: { 'x-api-key': KEY } })).status).toBe(200);
    expect(last?.headers['x-api-key']).toBeUndefined();
    expect((await proxy(`/hidden-key/q?a=1&apikey=${KEY}&b=2`)).status).toBe(200);
    expect(last?.url).toBe('/q?a=1&b=2');
    const form = await proxy('/hidden-key/b', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `apikey=${KEY}&keep=1`,
    });
    expect(form.status).toBe(200);
    expect(last?.body).toBe('keep=1');
    expect(JSON.stringify(last).includes(KEY)).toBe(false);
  });

  it('forwards the key when hide_credentials is off (Kong’s default), so the test above proves the hiding', async () => {
    expect((await proxy('/shown-key/s', { headers: { apikey: KEY } })).status).toBe(200);
    expect(last?.headers.apikey).toBe(KEY);
  });

  it('hides basic-auth credentials (the Authorization header) when hide_credentials is on', async () => {
    const res = await proxy('/hidden-basic/x', { headers: { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` } });
    expect(res.status).toBe(200);
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers['x-consumer-username']).toBe('alice');
  });

  it('never lets a client pose as a consumer: X-Consumer-* from the client are replaced by the authenticated consumer', async () => {
    await proxy('/hidden-key/c', { headers: { apikey: KEY, 'x-consumer-username': 'admin', 'x-consumer-id': '00000000-0000-4000-8000-000000000000' } });
    expect(last?.headers['x-consumer-username']).toBe('alice');
    expect(last?.headers['x-consumer-id']).toBe(CONSUMER);
  });

  it('strips hop-by-hop request headers, including those the client names in Connection', async () => {
    await proxy('/open/hop', {
      headers: {
        connection: 'keep-alive, X-Client-Hop',
        'x-client-hop': 'internal',
        'keep-alive': 'timeout=9',
        'proxy-connection': 'keep-alive',
        // TE: trailers is passed on, as Kong (test/data-plane/upstream-headers.test.ts); any other TE is hop-by-hop.
        te: 'gzip',
        upgrade: 'h2c',
        'x-kept': 'yes',
      },
    });
    for (const name of ['x-client-hop', 'keep-alive', 'proxy-connection', 'te', 'upgrade'])
      expect({ name, value: last?.headers[name] }).toEqual({ name, value: undefined });
    expect(last?.headers['x-kept']).toBe('yes');
  });

  it('strips hop-by-hop response headers, including those the upstream names in Connection, and Proxy-Authenticate', async () => {
    const res = await proxy('/open/resp');
    expect(res.status).toBe(200);
    for (const name of ['x-upstream-hop', 'keep-alive', 'proxy-authenticate']) expect({ name, value: res.headers[name] }).toEqual({ name, value: undefined });
    expect(res.headers['x-kept']).toBe('yes');
  });
});
