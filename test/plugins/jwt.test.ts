import { randomBytes, randomUUID } from 'node:crypto';
import type { GatewayConfig } from '@gatehouse/protocol';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';
import { jwtKeyPair, signJwt } from './support/signing';

const HS_SECRET = 'hs-secret-for-tests';
const B64_RAW = randomBytes(32);
const now = (): number => Math.floor(Date.now() / 1000);
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });
const hs = (claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> =>
  signJwt(claims, 'HS256', new TextEncoder().encode(HS_SECRET), header);

/**
 * The jwt plugin through a real DP process and echo upstream, with tokens
 * signed in the test by jose: each algorithm family, Kong's 401 answers,
 * registered claims, maximum_expiration, key_claim_name, secret_is_base64,
 * the token's places, anonymous and preflights.
 */
describe('jwt', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  const pairs: Record<string, Awaited<ReturnType<typeof jwtKeyPair>>> = {};
  let aliceId = '';

  beforeAll(async () => {
    for (const alg of ['RS256', 'ES256', 'PS256', 'EdDSA']) pairs[alg] = await jwtKeyPair(alg);
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'echo', url: echo.url });
    aliceId = b.consumer({ username: 'alice' }).id;
    b.consumer({ username: 'anon' });
    const route = (name: string, config: Record<string, unknown> = {}): void => {
      b.plugin('jwt', { route: b.route({ name, service: svc, paths: [`/${name}`] }), config });
    };
    route('plain');
    route('claims', { claims_to_verify: ['exp', 'nbf'] });
    route('max', { claims_to_verify: ['exp'], maximum_expiration: 60 });
    route('kid', { key_claim_name: 'kid' });
    route('b64', { secret_is_base64: true });
    route('places', { uri_param_names: ['token'], cookie_names: ['tok'], header_names: ['x-token'] });
    route('anon', { anonymous: 'anon' });
    route('preflight', { run_on_preflight: false });
    route('realm', { realm: 'gh' });
    const config: GatewayConfig = b.build();
    const cred = (key: string, algorithm: string, secret: string | null, rsa_public_key: string | null = null) => ({
      id: randomUUID(),
      consumer: { id: aliceId },
      key,
      algorithm: algorithm as 'HS256',
      secret,
      rsa_public_key,
      tags: [],
    });
    config.jwt_secrets = [
      cred('hs-key', 'HS256', HS_SECRET),
      cred('b64-key', 'HS512', B64_RAW.toString('base64url')),
      ...['RS256', 'ES256', 'PS256', 'EdDSA'].map((alg) => cred(`${alg}-key`, alg, 'unused', pairs[alg]!.publicPem)),
    ];
    dp = await startDataPlaneWith(config);
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  it('authenticates HS256, RS256, ES256, PS256 and EdDSA tokens, telling the upstream the consumer and the credential key', async () => {
    const tokens: [string, string][] = [['hs-key', await hs({ iss: 'hs-key' })]];
    for (const alg of ['RS256', 'ES256', 'PS256', 'EdDSA']) tokens.push([`${alg}-key`, await signJwt({ iss: `${alg}-key` }, alg, pairs[alg]!.privateKey)]);
    for (const [key, token] of tokens) {
      const a = await call(dp.proxy, '/plain', bearer(token));
      expect([key, a.status, a.json.headers?.['x-consumer-username'], a.json.headers?.['x-consumer-id'], a.json.headers?.['x-credential-identifier']]).toEqual([
        key,
        200,
        'alice',
        aliceId,
        key,
      ]);
    }
  });

  it("answers Kong's 401s with the Bearer challenge", async () => {
    const none = await call(dp.proxy, '/plain');
    expect([none.status, none.json, none.headers.get('www-authenticate')]).toEqual([401, { message: 'Unauthorized' }, 'Bearer']);
    const cases: [RequestInit | string, string][] = [
      [bearer('not-a-token'), 'Bad token; invalid JSON'],
      [bearer(await hs({ sub: 'x' })), "No mandatory 'iss' in claims"],
      [bearer(await hs({ iss: '' })), "Invalid 'iss' in claims"],
      [bearer(await hs({ iss: 'nobody' })), "No credentials found for given 'iss'"],
      [bearer(await signJwt({ iss: 'hs-key' }, 'HS384', new TextEncoder().encode(HS_SECRET))), 'Invalid algorithm'],
      [bearer(await signJwt({ iss: 'hs-key' }, 'HS256', new TextEncoder().encode('wrong'))), 'Invalid signature'],
      [bearer(await signJwt({ iss: 'RS256-key' }, 'RS256', pairs.PS256!.privateKey)), 'Invalid signature'],
      [`/plain?jwt=${await hs({ iss: 'hs-key', n: 1 })}&jwt=${await hs({ iss: 'hs-key', n: 2 })}`, 'Multiple tokens provided'],
    ];
    for (const [what, message] of cases) {
      const a = typeof what === 'string' ? await call(dp.proxy, what) : await call(dp.proxy, '/plain', what);
      expect([a.status, a.json, a.headers.get('www-authenticate')]).toEqual([401, { message }, 'Bearer error="invalid_token"']);
    }
    const realm = await call(dp.proxy, '/realm');
    expect(realm.headers.get('www-authenticate')).toBe('Bearer realm="gh"');
    const realmBad = await call(dp.proxy, '/realm', bearer('x.y.z'));
    expect(realmBad.headers.get('www-authenticate')).toBe('Bearer realm="gh", error="invalid_token"');
  });

  it('verifies exp and nbf when listed, answering the claim errors as the body', async () => {
    expect((await call(dp.proxy, '/claims', bearer(await hs({ iss: 'hs-key', exp: now() + 60, nbf: now() - 5 })))).status).toBe(200);
    const expired = await call(dp.proxy, '/claims', bearer(await hs({ iss: 'hs-key', exp: now() - 1, nbf: now() - 5 })));
    expect([expired.status, expired.json]).toEqual([401, { exp: 'token expired' }]);
    const early = await call(dp.proxy, '/claims', bearer(await hs({ iss: 'hs-key', exp: now() + 60, nbf: now() + 60 })));
    expect([early.status, early.json]).toEqual([401, { nbf: 'token not valid yet' }]);
    const missing = await call(dp.proxy, '/claims', bearer(await hs({ iss: 'hs-key' })));
    expect([missing.status, missing.json]).toEqual([401, { exp: 'must be a number', nbf: 'must be a number' }]);
    // A token whose signature verified is remembered, but its claims are checked on every request.
    const soon = await hs({ iss: 'hs-key', exp: now() + 2, nbf: now() - 5 });
    expect((await call(dp.proxy, '/claims', bearer(soon))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await call(dp.proxy, '/claims', bearer(soon))).json).toEqual({ exp: 'token expired' });
  });

  it('refuses a token living longer than maximum_expiration', async () => {
    expect((await call(dp.proxy, '/max', bearer(await hs({ iss: 'hs-key', exp: now() + 30 })))).status).toBe(200);
    const long = await call(dp.proxy, '/max', bearer(await hs({ iss: 'hs-key', exp: now() + 3600 })));
    expect([long.status, long.json]).toEqual([401, { exp: 'exceeds maximum allowed expiration' }]);
  });

  it('finds the credential by key_claim_name, in the claims or the header', async () => {
    expect((await call(dp.proxy, '/kid', bearer(await hs({ kid: 'hs-key' })))).status).toBe(200);
    expect((await call(dp.proxy, '/kid', bearer(await hs({}, { kid: 'hs-key' })))).status).toBe(200);
    expect((await call(dp.proxy, '/kid', bearer(await hs({ iss: 'hs-key' })))).json).toEqual({ message: "No mandatory 'kid' in claims" });
  });

  it('decodes a base64 secret with secret_is_base64, the token signed with the raw bytes', async () => {
    const token = await signJwt({ iss: 'b64-key' }, 'HS512', B64_RAW);
    expect((await call(dp.proxy, '/b64', bearer(token))).status).toBe(200);
    expect((await call(dp.proxy, '/plain', bearer(token))).json).toEqual({ message: 'Invalid signature' });
  });

  it('reads the token from the configured query argument, cookie and header', async () => {
    const token = await hs({ iss: 'hs-key' });
    expect((await call(dp.proxy, `/places?token=${token}`)).status).toBe(200);
    expect((await call(dp.proxy, '/places', { headers: { cookie: `a=1; tok=${token}` } })).status).toBe(200);
    expect((await call(dp.proxy, '/places', { headers: { 'x-token': `bearer ${token}` } })).status).toBe(200);
    // Not in the default places any more.
    expect((await call(dp.proxy, `/places?jwt=${token}`)).status).toBe(401);
    expect((await call(dp.proxy, '/places', bearer(token))).status).toBe(401);
    // The same token in two places is one token.
    expect((await call(dp.proxy, `/places?token=${token}`, { headers: { 'x-token': `Bearer ${token}` } })).status).toBe(200);
  });

  it('lets failures through as the anonymous consumer, and skips OPTIONS when run_on_preflight is false', async () => {
    const anon = await call(dp.proxy, '/anon');
    expect([anon.status, anon.json.headers?.['x-consumer-username'], anon.json.headers?.['x-anonymous-consumer']]).toEqual([200, 'anon', 'true']);
    const known = await call(dp.proxy, '/anon', bearer(await hs({ iss: 'hs-key' })));
    expect([known.json.headers?.['x-consumer-username'], known.json.headers?.['x-anonymous-consumer']]).toEqual(['alice', undefined]);
    expect((await call(dp.proxy, '/preflight', { method: 'OPTIONS' })).status).toBe(200);
    expect((await call(dp.proxy, '/plain', { method: 'OPTIONS' })).status).toBe(401);
  });
});
