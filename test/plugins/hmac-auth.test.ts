import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '@gatehouse/protocol';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';
import { hmacAuthorization, httpDate, sha256Digest } from './support/signing';

const SECRET = 'hal-secret';
type Algorithm = 'hmac-sha1' | 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512';

/** Headers for a request signed over `date` (and any further lines), as Kong's hmac-auth checks them. */
function signed(
  lines: [string, string | null][] = [],
  opts: { algorithm?: Algorithm; secret?: string; username?: string; date?: string } = {},
): { date: string; authorization: string } {
  const date = opts.date ?? httpDate();
  const authorization = hmacAuthorization({
    username: opts.username ?? 'hal',
    secret: opts.secret ?? SECRET,
    algorithm: opts.algorithm ?? 'hmac-sha256',
    headers: [['date', date], ...lines],
  });
  return { date, authorization };
}

/**
 * hmac-auth through a real DP process and echo upstream, with signatures
 * computed in the test from Kong's rules: each algorithm, the clock skew,
 * enforce_headers with the request line, the body digest, hide_credentials,
 * Proxy-Authorization and anonymous.
 */
describe('hmac-auth', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let halId = '';

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'echo', url: echo.url });
    halId = b.consumer({ username: 'hal-consumer' }).id;
    b.consumer({ username: 'anon' });
    const route = (name: string, config: Record<string, unknown> = {}): void => {
      b.plugin('hmac-auth', { route: b.route({ name, service: svc, paths: [`/${name}`] }), config });
    };
    route('plain');
    route('enforce', { enforce_headers: ['date', 'request-line'] });
    route('body', { validate_request_body: true });
    route('hide', { hide_credentials: true });
    route('sha512only', { algorithms: ['hmac-sha512'] });
    route('skew', { clock_skew: 10 });
    route('anon', { anonymous: 'anon' });
    const config: GatewayConfig = b.build();
    config.hmacauth_credentials = [{ id: randomUUID(), consumer: { id: halId }, username: 'hal', secret: SECRET, tags: [] }];
    dp = await startDataPlaneWith(config);
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  it('accepts a signature made with each algorithm, telling the upstream the consumer and the username', async () => {
    for (const algorithm of ['hmac-sha1', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const) {
      const a = await call(dp.proxy, '/plain', { headers: signed([], { algorithm }) });
      expect([
        algorithm,
        a.status,
        a.json.headers?.['x-consumer-username'],
        a.json.headers?.['x-credential-identifier'],
        a.json.headers?.['x-consumer-id'],
      ]).toEqual([algorithm, 200, 'hal-consumer', 'hal', halId]);
    }
  });

  it("answers Kong's 401 messages with WWW-Authenticate: hmac", async () => {
    const none = await call(dp.proxy, '/plain');
    expect([none.status, none.json, none.headers.get('www-authenticate')]).toEqual([401, { message: 'Unauthorized' }, 'hmac']);
    const noDate = await call(dp.proxy, '/plain', { headers: { authorization: signed().authorization } });
    expect(noDate.json).toEqual({ message: 'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication' });
    const wrong = await call(dp.proxy, '/plain', { headers: signed([], { secret: 'nope' }) });
    expect([wrong.status, wrong.json]).toEqual([401, { message: 'HMAC signature does not match' }]);
    const unknown = await call(dp.proxy, '/plain', { headers: signed([], { username: 'nobody' }) });
    expect(unknown.json).toEqual({ message: 'HMAC signature cannot be verified' });
    const notHmac = await call(dp.proxy, '/plain', { headers: { date: httpDate(), authorization: 'Basic eDp5' } });
    expect(notHmac.json).toEqual({ message: 'HMAC signature cannot be verified' });
    const notAllowed = await call(dp.proxy, '/sha512only', { headers: signed([], { algorithm: 'hmac-sha256' }) });
    expect(notAllowed.json).toEqual({ message: 'HMAC signature cannot be verified' });
    expect((await call(dp.proxy, '/sha512only', { headers: signed([], { algorithm: 'hmac-sha512' }) })).status).toBe(200);
  });

  it('refuses a Date outside clock_skew, and takes X-Date first', async () => {
    expect((await call(dp.proxy, '/skew', { headers: signed([], { date: httpDate(-5) }) })).status).toBe(200);
    const old = await call(dp.proxy, '/skew', { headers: signed([], { date: httpDate(-60) }) });
    expect(old.json.message).toMatch(/^HMAC signature cannot be verified, a valid date/);
    const xdate = httpDate();
    const authorization = hmacAuthorization({ username: 'hal', secret: SECRET, algorithm: 'hmac-sha256', headers: [['x-date', xdate]] });
    expect((await call(dp.proxy, '/skew', { headers: { 'x-date': xdate, date: httpDate(-600), authorization } })).status).toBe(200);
  });

  it('with enforce_headers, refuses a signature that leaves out the request line, and accepts one over it', async () => {
    const without = await call(dp.proxy, '/enforce?a=1', { headers: signed() });
    expect(without.json).toEqual({ message: 'HMAC signature cannot be verified' });
    const ok = await call(dp.proxy, '/enforce?a=1', { headers: signed([['request-line', 'GET /enforce?a=1 HTTP/1.1']]) });
    expect(ok.status).toBe(200);
    const otherPath = await call(dp.proxy, '/enforce?a=2', { headers: signed([['request-line', 'GET /enforce?a=1 HTTP/1.1']]) });
    expect(otherPath.json).toEqual({ message: 'HMAC signature does not match' });
    // @request-target: the lower-case method and the request target.
    expect((await call(dp.proxy, '/plain?x=y', { headers: signed([['@request-target', 'get /plain?x=y']]) })).status).toBe(200);
    // A signed header the request lacks is signed as `name:`.
    expect((await call(dp.proxy, '/plain', { headers: signed([['x-missing', null]]) })).status).toBe(200);
  });

  it('with validate_request_body, checks the Digest header against the body', async () => {
    const body = '{"a":1}';
    const post = (headers: Record<string, string>) => call(dp.proxy, '/body', { method: 'POST', body, headers });
    expect((await post({ ...signed(), digest: sha256Digest(body) })).status).toBe(200);
    expect((await post({ ...signed(), digest: sha256Digest('other') })).json).toEqual({ message: 'HMAC signature does not match' });
    expect((await post(signed())).json).toEqual({ message: 'HMAC signature does not match' });
    expect((await call(dp.proxy, '/body', { headers: signed() })).status).toBe(200);
  });

  it('hides the credential header from the upstream with hide_credentials, and reads Proxy-Authorization first', async () => {
    const hidden = await call(dp.proxy, '/hide', { headers: signed() });
    expect([hidden.status, hidden.json.headers?.authorization]).toEqual([200, undefined]);
    const shown = await call(dp.proxy, '/plain', { headers: signed() });
    expect(shown.json.headers?.authorization).toMatch(/^hmac username="hal"/);
    const { date, authorization } = signed();
    const proxied = await call(dp.proxy, '/hide', { headers: { date, 'proxy-authorization': authorization, authorization: 'Bearer other' } });
    expect([proxied.status, proxied.json.headers?.['proxy-authorization'], proxied.json.headers?.authorization]).toEqual([200, undefined, 'Bearer other']);
  });

  it('lets failures through as the anonymous consumer', async () => {
    const anon = await call(dp.proxy, '/anon');
    expect([anon.status, anon.json.headers?.['x-consumer-username'], anon.json.headers?.['x-anonymous-consumer']]).toEqual([200, 'anon', 'true']);
    const hal = await call(dp.proxy, '/anon', { headers: signed() });
    expect(hal.json.headers?.['x-consumer-username']).toBe('hal-consumer');
  });
});
