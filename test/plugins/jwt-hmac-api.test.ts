import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { startConnectedDataPlane } from './support/connected-dp';
import { call, startEcho, type TestDataPlane } from './support/harness';
import { hmacAuthorization, httpDate, jwtKeyPair, signJwt } from './support/signing';

const RG = '/v1/runtime-groups/default';

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * jwt and hmac-auth through the control plane: the credential endpoints
 * (`/consumers/{c}/jwt`, `/consumers/{c}/hmac-auth`) with Kong's generated
 * fields and checks, the plugins' `config.<field>` errors, a declarative
 * round trip, and a real DP enforcing both with what the CP answered.
 */
describe('jwt and hmac-auth through the control plane', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let serviceId: string;

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'jwthmac' }), startEcho()]);
    api = cp.api;
    const svc = await api.post(`${RG}/services`, { name: 'jh', url: echo.url });
    serviceId = svc.body.id;
    const creds = await api.post(`${RG}/dp-certificates`, {});
    dp = await startConnectedDataPlane(cp, creds.body);
  });

  afterAll(async () => {
    await Promise.all([dp?.stop(), cp?.stop(), echo?.close()]);
  });

  it('jwt credentials: key and secret generated and answered as Kong does; a public key required and checked for RS/ES/PS/EdDSA', async () => {
    await api.post(`${RG}/consumers`, { username: 'jane' });
    const generated = await api.post(`${RG}/consumers/jane/jwt`, {});
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({ algorithm: 'HS256', rsa_public_key: null, consumer: { id: expect.any(String) } });
    expect(generated.body.key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generated.body.secret).toMatch(/^[A-Za-z0-9]{32}$/);

    const noKey = await api.post(`${RG}/consumers/jane/jwt`, { algorithm: 'RS256' });
    expect([noKey.status, noKey.body.fields]).toEqual([400, { rsa_public_key: 'required field missing' }]);
    const garbled = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----';
    const bad = await api.post(`${RG}/consumers/jane/jwt`, { algorithm: 'ES256', rsa_public_key: garbled });
    expect([bad.status, bad.body.fields]).toEqual([400, { rsa_public_key: 'invalid key' }]);
    const badAlg = await api.post(`${RG}/consumers/jane/jwt`, { algorithm: 'none' });
    expect([badAlg.status, Object.keys(badAlg.body.fields)]).toEqual([400, ['algorithm']]);

    const { publicPem } = await jwtKeyPair('RS256');
    const rs = await api.post(`${RG}/consumers/jane/jwt`, { key: 'jane-rs', algorithm: 'RS256', rsa_public_key: publicPem });
    expect(rs.status).toBe(201);
    expect(rs.body).toMatchObject({ key: 'jane-rs', algorithm: 'RS256', rsa_public_key: publicPem });
    const dup = await api.post(`${RG}/consumers/jane/jwt`, { key: 'jane-rs' });
    expect(dup.status).toBe(409);
    expect((await api.get(`${RG}/consumers/jane/jwt`)).body.data).toHaveLength(2);
    expect((await api.get(`${RG}/consumers/jane/jwt/jane-rs`)).body.id).toBe(rs.body.id);
  });

  it('hmac-auth credentials: username required and unique, the secret generated when absent', async () => {
    await api.post(`${RG}/consumers`, { username: 'hank' });
    const missing = await api.post(`${RG}/consumers/hank/hmac-auth`, {});
    expect([missing.status, Object.keys(missing.body.fields)]).toEqual([400, ['username']]);
    const made = await api.post(`${RG}/consumers/hank/hmac-auth`, { username: 'hank-hmac' });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await api.post(`${RG}/consumers/hank/hmac-auth`, { username: 'hank-hmac', secret: 'x' })).status).toBe(409);
  });

  it('plugin configs are refused naming config.<field>', async () => {
    const jwt = await api.post(`${RG}/plugins`, { name: 'jwt', config: { maximum_expiration: 10 } });
    expect([jwt.status, jwt.body.fields]).toEqual([400, { 'config.claims_to_verify': 'expected to contain: exp' }]);
    const hmac = await api.post(`${RG}/plugins`, { name: 'hmac-auth', config: { algorithms: ['md5'] } });
    expect([hmac.status, Object.keys(hmac.body.fields)]).toEqual([400, ['config.algorithms[0]']]);
  });

  it('a real DP authenticates a jwt signed with the secret the CP answered, and an hmac signature made with its secret', async () => {
    await api.post(`${RG}/consumers`, { username: 'dora' });
    const cred = (await api.post(`${RG}/consumers/dora/jwt`, {})).body;
    const hcred = (await api.post(`${RG}/consumers/dora/hmac-auth`, { username: 'dora-h' })).body;
    const jr = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'jr', paths: ['/jr'] });
    const hr = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'hr', paths: ['/hr'] });
    expect((await api.post(`${RG}/plugins`, { name: 'jwt', route: { id: jr.body.id } })).status).toBe(201);
    expect((await api.post(`${RG}/plugins`, { name: 'hmac-auth', route: { id: hr.body.id } })).status).toBe(201);
    await eventually('both plugins on the DP', async () => (await call(dp.proxy, '/jr')).status === 401 && (await call(dp.proxy, '/hr')).status === 401);

    const token = await signJwt({ iss: cred.key }, 'HS256', new TextEncoder().encode(cred.secret));
    const ok = await call(dp.proxy, '/jr', { headers: { authorization: `Bearer ${token}` } });
    expect([ok.status, ok.json.headers?.['x-consumer-username'], ok.json.headers?.['x-credential-identifier']]).toEqual([200, 'dora', cred.key]);

    const date = httpDate();
    const authorization = hmacAuthorization({ username: 'dora-h', secret: hcred.secret, algorithm: 'hmac-sha256', headers: [['date', date]] });
    const signed = await call(dp.proxy, '/hr', { headers: { date, authorization } });
    expect([signed.status, signed.json.headers?.['x-consumer-username'], signed.json.headers?.['x-credential-identifier']]).toEqual([200, 'dora', 'dora-h']);
  });

  it('declarative: jwt_secrets and hmacauth_credentials nested in consumers sync, dump and sync again with no change', async () => {
    const { publicPem } = await jwtKeyPair('ES256');
    const file = {
      _format_version: '3.0',
      _info: { select_tags: ['decl'] },
      consumers: [
        {
          username: 'decl-user',
          jwt_secrets: [
            { key: 'decl-hs', secret: 'decl-secret' },
            { key: 'decl-es', algorithm: 'ES256', rsa_public_key: publicPem },
          ],
          hmacauth_credentials: [{ username: 'decl-h', secret: 'decl-hmac-secret' }],
        },
      ],
    };
    const first = await api.send('POST', `${RG}/config`, file);
    expect([first.status, first.body.summary]).toEqual([200, { creates: 4, updates: 0, deletes: 0 }]);
    const dump = await api.send('GET', `${RG}/config?select_tags=decl`);
    expect(dump.status).toBe(200);
    const consumer = dump.body.consumers[0];
    expect(consumer.jwt_secrets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'decl-hs', secret: 'decl-secret', algorithm: 'HS256' }),
        expect.objectContaining({ key: 'decl-es', algorithm: 'ES256' }),
      ]),
    );
    expect(consumer.hmacauth_credentials).toEqual([expect.objectContaining({ username: 'decl-h', secret: 'decl-hmac-secret' })]);
    const again = await api.send('POST', `${RG}/config`, dump.body);
    expect([again.status, again.body.summary]).toEqual([200, { creates: 0, updates: 0, deletes: 0 }]);

    const missingSecret = await api.send('POST', `${RG}/config`, {
      _format_version: '3.0',
      consumers: [{ username: 'x', jwt_secrets: [{ key: 'no-secret' }] }],
    });
    expect(missingSecret.status).toBe(400);
    expect(Object.keys(missingSecret.body.fields)).toEqual(['consumers[0].jwt_secrets[0].secret']);
    const badPem = await api.send('POST', `${RG}/config`, {
      _format_version: '3.0',
      consumers: [
        { username: 'x', jwt_secrets: [{ key: 'k', algorithm: 'RS256', rsa_public_key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }] },
      ],
    });
    expect([badPem.status, badPem.body.fields]).toEqual([400, { 'consumers[0].jwt_secrets[0].rsa_public_key': 'invalid key' }]);
  });
});
