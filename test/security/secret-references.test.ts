import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { freePort, tempDir } from '../support/processes';
import { startConnectedDataPlane } from '../plugins/support/connected-dp';
import { awayFromMinuteEdge, call, startEcho, type TestDataPlane } from '../plugins/support/harness';
import { startRedis, type TestRedis } from '../plugins/support/redis';
import { runCli } from '../cli/run-cli';

const run = promisify(execFile);
const DEFAULT = '/v1/runtime-groups/default';
const VAULTED = '/v1/runtime-groups/vaulted';

/** Polls until `check` holds (every 100 ms, 20 s at most). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A rate-limiting plugin on Redis that needs AUTH, failing closed (fault_tolerant off) so a refused AUTH shows as 500. */
function redisLimit(route: string, port: number, password: string): Record<string, unknown> {
  return {
    name: 'rate-limiting',
    route: { name: route },
    config: { minute: 2, policy: 'redis', redis_host: '127.0.0.1', redis_port: port, redis_password: password, redis_timeout: 500, fault_tolerant: false },
  };
}

/** The config a DP keeps in its cache (what its group's snapshot carried). */
function cachedConfig(dp: TestDataPlane): { _secrets?: Record<string, string> } & Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(dp.dir, 'config.json'), 'utf8')) as { config: { _secrets?: Record<string, string> } & Record<string, unknown> })
    .config;
}

/** Every row of every table of the CP's database, as text: where a secret must never be. */
async function databaseText(databaseUrl: string): Promise<string> {
  const tables = await query<{ table_name: string }>(
    databaseUrl,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await query<{ t: string }>(databaseUrl, `SELECT t::text AS t FROM "${table_name}" t`);
    for (const r of rows) parts.push(r.t);
  }
  return parts.join('\n');
}

/** A self-signed certificate for `cn` made with openssl, as PEM strings. */
function selfSigned(cn: string): { cert: string; key: string } {
  const dir = tempDir('gatehouse-vault-tls-');
  const [cert, key] = [path.join(dir, 'c.crt'), path.join(dir, 'c.key')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`], {
    stdio: 'ignore',
  });
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}

/** A line from the middle of a PEM key: what would show if the key were stored anywhere. */
function keyBody(pem: string): string {
  const lines = pem.trim().split('\n');
  return lines[Math.floor(lines.length / 2)] ?? pem;
}

/** The subject CN of the certificate the DP serves for `servername` (curl --resolve: real SNI). */
async function servedCn(port: number, servername: string): Promise<string> {
  const stderr = await run('curl', ['-skv', '--max-time', '10', '--resolve', `${servername}:${port}:127.0.0.1`, `https://${servername}:${port}/nothing`]).then(
    (r) => r.stderr,
    // A failed handshake (the certificate not served yet) leaves no subject to read.
    () => '',
  );
  return /subject: .*CN ?= ?([^,;\s/]+)/.exec(stderr)?.[1] ?? '';
}

/**
 * Secret references (#17) with a real CP, real DPs of two runtime groups and a
 * redis-server that demands a password: `{vault://env/...}` resolved from the
 * DP's environment and never stored by the CP; `{vault://gatehouse/...}` from
 * the CP's encrypted store, shipped only to the group whose config uses it and
 * re-pushed when it changes; references refused where Kong does not allow them.
 */
describe('secret references: {vault://env/...} and {vault://gatehouse/...}', () => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let cp: LoggedInControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let redis: TestRedis;
  let dpDefault: TestDataPlane;
  let dpVaulted: TestDataPlane;
  let tlsPort: number;
  const tls = selfSigned('vault.test');

  beforeAll(async () => {
    [cp, echo, redis] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'vault' }), startEcho(), startRedis({ requirepass: password })]);
    api = cp.api;
    await api.ok('POST', '/v1/runtime-groups', { name: 'vaulted' });
    for (const group of [DEFAULT, VAULTED]) {
      await api.ok('POST', `${group}/services`, { name: 'echo', url: echo.url });
    }
    const [a, b] = await Promise.all([api.ok('POST', `${DEFAULT}/dp-certificates`, {}), api.ok('POST', `${VAULTED}/dp-certificates`, {})]);
    // Kong's env vault: `rl-redis-password` reads RL_REDIS_PASSWORD (upper-cased, dashes to underscores).
    // `tls-key` reads TLS_KEY: the certificate's private key never leaves this DP's environment.
    tlsPort = await freePort();
    [dpDefault, dpVaulted] = await Promise.all([
      startConnectedDataPlane(cp, a, { RL_REDIS_PASSWORD: password, TLS_KEY: tls.key, GATEHOUSE_PROXY_TLS_LISTEN: `127.0.0.1:${tlsPort}` }),
      startConnectedDataPlane(cp, b),
    ]);
  });

  afterAll(async () => {
    await Promise.all([dpDefault?.stop(), dpVaulted?.stop()]);
    await Promise.all([cp?.stop(), echo?.close(), redis?.stop()]);
  });

  it('an env-vault reference in redis_password is resolved on the DP and never reaches the CP database', async () => {
    await api.ok('POST', `${DEFAULT}/services/echo/routes`, { name: 'env-ref', paths: ['/env-ref'] });
    const created = await api.post(`${DEFAULT}/plugins`, redisLimit('env-ref', redis.port, '{vault://env/rl-redis-password}'));
    expect(created.status).toBe(201);
    // The API answers the reference as written, never a value.
    expect(created.body.config.redis_password).toBe('{vault://env/rl-redis-password}');

    // Applied when its answers carry the limit headers (the route may arrive in an earlier snapshot than the plugin).
    await eventually('the env-ref plugin on the DP', async () => (await call(dpDefault.proxy, '/env-ref')).headers.get('x-ratelimit-limit-minute') === '2');
    await awayFromMinuteEdge();
    // The limit counts in the password-protected Redis: 2 a minute, so the DP authenticated with the resolved value.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(dpDefault.proxy, '/env-ref')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses).not.toContain(500);

    const stored = await query<{ config: Record<string, unknown> }>(cp.databaseUrl, "SELECT config FROM plugins WHERE name = 'rate-limiting'");
    expect(stored.map((r) => r.config.redis_password)).toEqual(['{vault://env/rl-redis-password}']);
    expect(await databaseText(cp.databaseUrl)).not.toContain(password);
    // The DP's snapshot carries the reference, not the value.
    await eventually('the plugin in the DP cache', () => Promise.resolve((cachedConfig(dpDefault).plugins as unknown[]).length === 1));
    expect(JSON.stringify(cachedConfig(dpDefault))).toContain('{vault://env/rl-redis-password}');
    expect(JSON.stringify(cachedConfig(dpDefault))).not.toContain(password);
  });

  it('a gatehouse-vault secret is stored sealed, shipped only to the group that references it, and re-pushed when it changes', async () => {
    const set = await api.put('/v1/secrets/redis-pw', { value: password });
    expect(set.status).toBe(201);
    expect(set.body).toEqual({ name: 'redis-pw', runtime_groups: [], created_at: expect.any(Number), updated_at: expect.any(Number) });
    await api.ok('PUT', '/v1/secrets/unused-secret', { value: 'never-shipped-value' });
    expect(await databaseText(cp.databaseUrl)).not.toContain(password);

    await api.ok('POST', `${VAULTED}/services/echo/routes`, { name: 'gh-ref', paths: ['/gh-ref'] });
    expect((await api.post(`${VAULTED}/plugins`, redisLimit('gh-ref', redis.port, '{vault://gatehouse/redis-pw}'))).status).toBe(201);

    // Applied when its answers carry the limit headers (the route may arrive in an earlier snapshot than the plugin).
    await eventually('the gh-ref plugin on the DP', async () => (await call(dpVaulted.proxy, '/gh-ref')).headers.get('x-ratelimit-limit-minute') === '2');
    await awayFromMinuteEdge();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(dpVaulted.proxy, '/gh-ref')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses).not.toContain(500);

    // The vaulted group's snapshot carries exactly the secret it references; the default group's none.
    await eventually('the plugin in the vaulted DP cache', () => Promise.resolve((cachedConfig(dpVaulted).plugins as unknown[]).length === 1));
    expect(cachedConfig(dpVaulted)._secrets).toEqual({ 'redis-pw': password });
    expect(JSON.stringify(cachedConfig(dpVaulted))).not.toContain('never-shipped-value');
    expect(cachedConfig(dpDefault)._secrets).toBeUndefined();
    expect(JSON.stringify(cachedConfig(dpDefault))).not.toContain(password);

    const list = await api.ok('GET', '/v1/secrets');
    expect(list.data.map((s: { name: string }) => s.name).sort()).toEqual(['redis-pw', 'unused-secret']);
    expect(list.data.find((s: { name: string }) => s.name === 'redis-pw').runtime_groups).toEqual([{ id: expect.any(String), name: 'vaulted' }]);
    expect(JSON.stringify(list)).not.toContain(password);

    // Deleting a secret a group still references is refused; an unreferenced one goes.
    const refused = await api.delete('/v1/secrets/redis-pw');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("'vaulted'");
    expect((await api.delete('/v1/secrets/unused-secret')).status).toBe(204);
    expect((await api.get('/v1/secrets/unused-secret')).status).toBe(404);

    // A new value reaches the DP without touching the plugin: Redis now refuses the AUTH (500, fail closed).
    expect((await api.put('/v1/secrets/redis-pw', { value: 'not-the-password' })).status).toBe(200);
    await eventually('the changed secret on the vaulted DP', () => Promise.resolve(cachedConfig(dpVaulted)._secrets?.['redis-pw'] === 'not-the-password'));
    await eventually('a refused AUTH', async () => (await call(dpVaulted.proxy, '/gh-ref')).status === 500);
    expect((await api.put('/v1/secrets/redis-pw', { value: password })).status).toBe(200);
    await eventually('the restored secret', () => Promise.resolve(cachedConfig(dpVaulted)._secrets?.['redis-pw'] === password));
  });

  it('an unresolvable reference is logged and fails only its plugin; the rest of the config serves', async () => {
    await api.ok('POST', `${DEFAULT}/services/echo/routes`, { name: 'missing-ref', paths: ['/missing-ref'] });
    await api.ok('POST', `${DEFAULT}/plugins`, redisLimit('missing-ref', redis.port, '{vault://env/NOT_SET_ON_ANY_DP}'));
    const logged = await dpDefault.waitForEvent('vault_reference_unresolved', 20_000, (l) => l.reference === '{vault://env/NOT_SET_ON_ANY_DP}');
    expect(logged).toMatchObject({ field: 'redis_password', reason: 'no value found' });
    expect(String(logged.entity)).toContain("plugin 'rate-limiting'");
    await eventually('the missing-ref route', async () => (await call(dpDefault.proxy, '/missing-ref')).status === 500);
    // Another route of the same config keeps serving.
    await api.ok('POST', `${DEFAULT}/services/echo/routes`, { name: 'plain', paths: ['/plain'] });
    await eventually('the plain route', async () => (await call(dpDefault.proxy, '/plain')).status === 200);
  });

  it('refuses a reference in a field that is not referenceable, a malformed one and an unknown vault (400 naming the field)', async () => {
    const notReferenceable = await api.post(`${DEFAULT}/plugins`, {
      name: 'rate-limiting',
      config: { minute: 5, error_message: '{vault://env/MESSAGE}' },
    });
    expect(notReferenceable.status).toBe(400);
    expect(notReferenceable.body.fields).toEqual({ 'config.error_message': expect.stringContaining('not referenceable') });

    const malformed = await api.post(`${DEFAULT}/plugins`, { name: 'rate-limiting', config: { minute: 5, redis_password: '{vault://env}' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields['config.redis_password']).toBe('reference url is missing path [{vault://env}]');

    const unknownVault = await api.post(`${DEFAULT}/plugins`, { name: 'rate-limiting', config: { minute: 5, redis_password: '{vault://aws/db-password}' } });
    expect(unknownVault.status).toBe(400);
    expect(unknownVault.body.fields['config.redis_password']).toContain('could not find vault (aws)');

    const unclosed = await api.post(`${DEFAULT}/plugins`, { name: 'rate-limiting', config: { minute: 5, redis_password: '{vault://env/X' } });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.fields['config.redis_password']).toContain('not a reference');

    // Entity fields too: a route's tags are not referenceable.
    const tagged = await api.post(`${DEFAULT}/services/echo/routes`, { name: 'tagged', paths: ['/tagged'], tags: ['{vault://env/TAG}'] });
    expect(tagged.status).toBe(400);
    expect(tagged.body.fields).toEqual({ 'tags[0]': expect.stringContaining('not referenceable') });

    // The store's own input.
    expect((await api.put('/v1/secrets/bad name', { value: 'x' })).body.fields).toHaveProperty('name');
    expect((await api.put('/v1/secrets/ok-name', {})).body.fields).toHaveProperty('value');
    expect((await api.put('/v1/secrets/ok-name', { value: 'x', extra: 1 })).status).toBe(400);
  });
  it("a certificate's cert and key take references: stored as written, resolved on the DP, served by SNI", async () => {
    await api.ok('PUT', '/v1/secrets/tls-cert', { value: tls.cert });
    const created = await api.post(`${DEFAULT}/certificates`, { cert: '{vault://gatehouse/tls-cert}', key: '{vault://env/tls-key}', snis: ['vault.test'] });
    expect(created.status).toBe(201);
    expect(created.body.cert).toBe('{vault://gatehouse/tls-cert}');
    expect(created.body).not.toHaveProperty('key');
    // The CP cannot read a referenced PEM: no date, and a state that says so (not "expired").
    expect(created.body).toMatchObject({ expires_at: 0, expiry_state: 'unknown' });
    // A reference names a secret, it is not one: stored as written (a PEM key would be sealed).
    const [row] = await query<{ cert: string; key: string }>(cp.databaseUrl, 'SELECT cert, key FROM certificates WHERE id = $1', [created.body.id]);
    expect(row).toEqual({ cert: '{vault://gatehouse/tls-cert}', key: '{vault://env/tls-key}' });
    const secret = await api.ok('GET', '/v1/secrets/tls-cert');
    expect(secret.runtime_groups.map((g: { name: string }) => g.name)).toEqual(['default']);
    await eventually('the store value in the default DP snapshot', () => Promise.resolve(cachedConfig(dpDefault)._secrets?.['tls-cert'] === tls.cert));
    expect(cachedConfig(dpVaulted)._secrets).toEqual({ 'redis-pw': password });
    // The key lives only in the DP's environment.
    expect(await databaseText(cp.databaseUrl)).not.toContain(keyBody(tls.key));
    expect(JSON.stringify(cachedConfig(dpDefault))).not.toContain(keyBody(tls.key));
    // Real TLS: curl with SNI vault.test gets the certificate the DP assembled from the store and its environment.
    await eventually('the referenced certificate served for vault.test', async () => (await servedCn(tlsPort, 'vault.test')) === 'vault.test');

    const malformed = await api.post(`${DEFAULT}/certificates`, { cert: '{vault://gatehouse/}', key: '{vault://env/tls-key}' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields).toEqual({ cert: 'reference url has empty path [{vault://gatehouse/}]' });
    // Kong's CA certificates are not referenceable.
    const ca = await api.post(`${DEFAULT}/ca_certificates`, { cert: '{vault://env/ca}' });
    expect(ca.status).toBe(400);
    expect(ca.body.fields).toEqual({ cert: expect.stringContaining('not referenceable') });
  });

  it('gatehouse secrets set|list|delete, and a dump keeps references as written', async () => {
    const env = { GATEHOUSE_URL: cp.url, GATEHOUSE_TOKEN: cp.token, CLI_SECRET_VALUE: 'value-from-env' };
    expect(await runCli(['secrets', 'set', 'cli-piped'], env, 'value-from-stdin\n')).toMatchObject({ code: 0, stderr: 'secret cli-piped set\n' });
    expect(await runCli(['secrets', 'set', 'cli-env', '--from-env', 'CLI_SECRET_VALUE'], env)).toMatchObject({ code: 0 });
    expect(await runCli(['secrets', 'set', 'redis-pw', '--from-env', 'NOT_SET'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_SET') });
    const listed = await runCli(['secrets', 'list', '--output', 'json'], env);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as { name: string; runtime_groups: { name: string }[] }[];
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['cli-piped', 'cli-env', 'redis-pw']));
    expect(rows.find((r) => r.name === 'redis-pw')?.runtime_groups.map((g) => g.name)).toEqual(['vaulted']);
    expect(listed.stdout).not.toContain('value-from');
    const table = await runCli(['secrets', 'list'], env);
    expect(table.stdout).toMatch(/^NAME\s+RUNTIME GROUPS\s+CREATED\s+UPDATED/);
    // The stored values are what was given: the store ships them to a group that references them.
    await api.ok('POST', `${VAULTED}/services/echo/routes`, { name: 'cli-ref', paths: ['/cli-ref'] });
    await api.ok('POST', `${VAULTED}/plugins`, redisLimit('cli-ref', redis.port, '{vault://gatehouse/cli-piped}'));
    await eventually('cli-piped in the vaulted snapshot', () => Promise.resolve(cachedConfig(dpVaulted)._secrets?.['cli-piped'] === 'value-from-stdin'));

    expect(await runCli(['secrets', 'delete', 'cli-env'], env)).toMatchObject({ code: 0, stderr: 'secret cli-env deleted\n' });
    expect(await runCli(['secrets', 'delete', 'redis-pw'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('referenced by the config') });

    const dump = await runCli(['--runtime-group', 'vaulted', 'dump', '--format', 'json'], env);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('{vault://gatehouse/redis-pw}');
    expect(dump.stdout).not.toContain(password);
    expect(dump.stdout).not.toContain('value-from-stdin');
  });
  it('gatehouse validate takes references in referenceable fields and names any other', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-vault-files-'));
    const file = (name: string, text: string): string => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const good = file(
      'good.yaml',
      '_format_version: "3.0"\nservices:\n  - name: s\n    url: http://127.0.0.1:1\n    plugins:\n      - name: rate-limiting\n        config: { minute: 5, policy: redis, redis_host: 127.0.0.1, redis_password: "{vault://env/redis-password}" }\n',
    );
    expect(await runCli(['validate', '-f', good], {})).toMatchObject({ code: 0 });
    const bad = file(
      'bad.yaml',
      '_format_version: "3.0"\nservices:\n  - name: s\n    url: http://127.0.0.1:1\n    tags: ["{vault://env/TAG}"]\n    plugins:\n      - name: rate-limiting\n        config: { minute: 5, redis_password: "{vault://nowhere/x}" }\n',
    );
    const run = await runCli(['validate', '-f', bad], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not referenceable');
    expect(run.stderr).toContain('could not find vault (nowhere)');
  });
});
