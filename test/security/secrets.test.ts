import { X509Certificate, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openPrivateKey } from '../../packages/control-plane/src/certificates/key-encryption';
import { implementExample, runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { DatabaseDump } from '../fuzz/db-dump';
import { call, login, request, type Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestProcess } from '../support/processes';

const SECRET_KEY = 'test-secret-key-0123456789abcdef';
const WRONG_PASSWORD = `wrong-${randomBytes(6).toString('hex')}`;
const API_KEY = `alice-key-${randomBytes(12).toString('hex')}`;
const BASIC_PASSWORD = `alice-pw-${randomBytes(12).toString('hex')}`;
const FILE_KEY = `file-key-${randomBytes(12).toString('hex')}`;
const FILE_PASSWORD = `file-pw-${randomBytes(12).toString('hex')}`;

/** The base64 body of a PEM (what would show if a key leaked, whatever its line breaks). */
function pemBody(pem: string): string {
  return pem
    .replace(/-----[A-Z ]+-----/g, '')
    .replace(/\s+/g, '')
    .slice(0, 64);
}

/**
 * Secrets (passwords, API keys, tokens, private keys, CA keys, the secret key
 * itself) travel through every path that carries them — login, tokens,
 * credentials by API and by declarative file, certificates, the launch
 * script, the proxy — with the CP and DP logging at debug. Afterwards none of
 * them is in a log line, in an API answer after the one that created it, in
 * the database as plaintext, or in the DP's cached config.
 */
describe('secrets stay secret', () => {
  let cp: LoggedInControlPlane;
  let echo: TestProcess & { url: string };
  let dp: ScriptedDataPlane;
  let api: Client;
  let databaseUrl: string;
  const secrets: Record<string, string> = {};
  const answers: string[] = [];

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'secrets', env: { GATEHOUSE_LOG_LEVEL: 'debug' } }), startEcho()]);
    ({ api, databaseUrl } = cp);
    const rg = '/v1/runtime-groups/default';
    await implementExample(api, echo.url);
    // Credentials and the plugins that check them.
    await api.ok('POST', `${rg}/consumers`, { username: 'alice' });
    await api.ok('POST', `${rg}/consumers/alice/key-auth`, { key: API_KEY });
    await api.ok('POST', `${rg}/consumers/alice/basic-auth`, { username: 'alice', password: BASIC_PASSWORD });
    const svc = await api.ok('GET', `${rg}/services/example_gateway_service`);
    const keyed = await api.ok('POST', `${rg}/services/${svc.id}/routes`, { name: 'keyed', paths: ['/keyed'] });
    const basic = await api.ok('POST', `${rg}/services/${svc.id}/routes`, { name: 'basic', paths: ['/basic'] });
    await api.ok('POST', `${rg}/plugins`, { name: 'key-auth', route: { id: keyed.id }, config: { hide_credentials: true } });
    await api.ok('POST', `${rg}/plugins`, { name: 'basic-auth', route: { id: basic.id }, config: { hide_credentials: true } });
    // The same kinds of secret through a declarative file, in another group.
    await api.ok('POST', '/v1/runtime-groups', { name: 'declared' });
    const file = {
      _format_version: '3.0',
      consumers: [{ username: 'bob', keyauth_credentials: [{ key: FILE_KEY }], basicauth_credentials: [{ username: 'bob', password: FILE_PASSWORD }] }],
    };
    expect((await api.post('/v1/runtime-groups/declared/config?dry_run=true', file)).status).toBe(200);
    expect((await api.post('/v1/runtime-groups/declared/config', file)).status).toBeLessThan(300);

    const session = await login(cp.url);
    const pat = await call(cp.url, 'POST', '/v1/personal-access-tokens', { token: session, body: { name: 'ci' } });
    expect((await call(cp.url, 'GET', '/v1/me', { token: pat.body.token })).status).toBe(200);
    expect((await call(cp.url, 'POST', '/v1/auth/login', { body: { email: TEST_ADMIN_EMAIL, password: WRONG_PASSWORD } })).status).toBe(401);
    const cert = await api.ok('POST', `${rg}/dp-certificates`, {});
    const script = await api.post(`${rg}/launch-script`, { kind: 'shell' });
    dp = await runLaunchScript(script.text, { env: { GATEHOUSE_LOG_LEVEL: 'debug' } });
    const scriptKey = fs.readFileSync(path.join(dp.dpDir, 'cluster.key'), 'utf8');

    // Traffic carrying the credentials, right and wrong.
    await waitFor('the keyed route to be served', async () => (await request(`${dp.proxyUrl}/keyed`, { headers: { apikey: API_KEY } })).status === 200);
    const basicHeader = `Basic ${Buffer.from(`alice:${BASIC_PASSWORD}`).toString('base64')}`;
    expect((await request(`${dp.proxyUrl}/basic`, { headers: { authorization: basicHeader } })).status).toBe(200);
    expect((await request(`${dp.proxyUrl}/keyed?apikey=${API_KEY}x`)).status).toBe(401);
    expect((await request(`${dp.proxyUrl}/basic`, { headers: { authorization: `Basic ${Buffer.from('alice:not-it').toString('base64')}` } })).status).toBe(401);
    expect((await call(cp.url, 'POST', '/v1/auth/logout', { token: session })).status).toBe(204);

    // The CA private keys, opened with the installation secret, so their text can be looked for.
    const [clusterCa] = await query<{ key_enc: string }>(databaseUrl, "SELECT key_enc FROM cluster_ca WHERE id = 'cluster'");
    const groupCas = await query<{ ca_key_enc: string }>(databaseUrl, 'SELECT ca_key_enc FROM runtime_groups WHERE ca_key_enc IS NOT NULL');
    Object.assign(secrets, {
      'admin password': TEST_ADMIN_PASSWORD,
      'wrong password': WRONG_PASSWORD,
      'secret key': SECRET_KEY,
      'session token': session,
      'session token signature': session.split('.')[2]!,
      'personal access token': pat.body.token,
      'key-auth key': API_KEY,
      'basic-auth password': BASIC_PASSWORD,
      'basic-auth header': basicHeader.slice(6),
      'declared key': FILE_KEY,
      'declared password': FILE_PASSWORD,
      'dp certificate key': pemBody(cert.key),
      'launch script key': pemBody(scriptKey),
      'cluster CA key': pemBody(openPrivateKey(clusterCa!.key_enc, SECRET_KEY)),
      ...Object.fromEntries(groupCas.map((g, i) => [`group CA key ${i}`, pemBody(openPrivateKey(g.ca_key_enc, SECRET_KEY))])),
    });

    // Every answer a client can read afterwards.
    const reads = [
      `${rg}/consumers/alice/key-auth`,
      `${rg}/consumers/alice/basic-auth`,
      `${rg}/consumers/alice/basic-auth/alice`,
      `${rg}/dp-certificates`,
      `${rg}/config`,
      '/v1/runtime-groups/declared/config',
      '/v1/runtime-groups/declared/consumers/bob/key-auth',
      '/v1/runtime-groups/declared/consumers/bob/basic-auth',
      '/v1/personal-access-tokens',
      '/v1/me',
      `${rg}/nodes`,
    ];
    for (const url of reads) {
      const res = await api.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      answers.push(`${url}: ${res.text}`);
    }
    const yamlDump = await fetch(`${cp.url}${rg}/config`, { headers: { authorization: `Bearer ${await login(cp.url)}`, accept: 'application/yaml' } });
    answers.push(`yaml dump: ${await yamlDump.text()}`);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([dp, cp, echo].map((p) => p?.stop()));
  });

  function leaksIn(texts: string[]): string[] {
    const found: string[] = [];
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length).toBeGreaterThan(10);
      if (texts.some((t) => t.includes(value))) found.push(name);
    }
    return found;
  }

  it('writes none of them into any CP or DP log line', async () => {
    await new Promise((r) => setTimeout(r, 500));
    expect(cp.lines.length).toBeGreaterThan(50);
    expect(dp.lines.length).toBeGreaterThan(3);
    expect(leaksIn([...cp.lines, ...dp.lines])).toEqual([]);
    // And no private key block of any kind.
    expect([...cp.lines, ...dp.lines].filter((l) => l.includes('PRIVATE KEY'))).toEqual([]);
  });

  it('shows none of them in any API answer after the one that created them', () => {
    expect(leaksIn(answers)).toEqual([]);
    expect(answers.filter((a) => a.includes('PRIVATE KEY'))).toEqual([]);
    // Password hashes appear only in config dumps, so a dump can be synced back (`password_hash`, as decK does); never in entity answers.
    expect(answers.filter((a) => a.includes('scrypt$') && !/config: |^yaml dump/.test(a))).toEqual([]);
  });

  it('stores none of them as plaintext: keys and tokens as hashes, passwords as scrypt, CA keys sealed with the secret key', async () => {
    const dump = await DatabaseDump.open(databaseUrl);
    const everything = await dump.take();
    await dump.close();
    expect(leaksIn([everything])).toEqual([]);
    expect(everything.includes('PRIVATE KEY')).toBe(false);
    const [ca] = await query<{ cert_pem: string; key_enc: string }>(databaseUrl, "SELECT cert_pem, key_enc FROM cluster_ca WHERE id = 'cluster'");
    expect(ca?.key_enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    // The sealed key opens only with the installation's secret, and is the key of the CA certificate.
    expect(() => openPrivateKey(ca!.key_enc, 'another-secret-key-0123456789')).toThrow(/GATEHOUSE_SECRET_KEY differs/);
    const opened = createPrivateKey(openPrivateKey(ca!.key_enc, SECRET_KEY));
    const certKey = new X509Certificate(ca!.cert_pem).publicKey;
    expect(createPublicKey(opened).export({ format: 'pem', type: 'spki' })).toBe(certKey.export({ format: 'pem', type: 'spki' }));
  });

  it("keeps the DP's files safe: the key 0600, and no plaintext credential in the cached config", () => {
    expect(fs.statSync(path.join(dp.dpDir, 'cluster.key')).mode & 0o777).toBe(0o600);
    const cache = fs.readFileSync(path.join(dp.dpDir, 'config.json'), 'utf8');
    expect(cache).toContain('key_hash');
    expect(leaksIn([cache])).toEqual([]);
    expect(fs.statSync(path.join(dp.dpDir, 'config.json')).mode & 0o777).toBe(0o600);
  });
});
