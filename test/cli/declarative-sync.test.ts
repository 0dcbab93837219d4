import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createTestDatabase, query } from '../support/database';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { runCli } from './run-cli';

const FIXTURE = path.join(__dirname, '..', 'declarative', 'fixtures', 'kong-3.0.yml');

describe('gatehouse validate / diff / sync / dump against a real control plane', () => {
  let cp: TestControlPlane;
  let databaseUrl: string;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl });
    dir = tempDir('gatehouse-cli-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    const login = await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD);
    expect(login).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('login saved the token only its owner can read', () => {
    const file = path.join(env.GATEHOUSE_CONFIG_DIR!, 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { tokens: Record<string, { token: string; email: string }> };
    expect(saved.tokens[new URL(cp.url).origin]).toMatchObject({ email: TEST_ADMIN_EMAIL, token: expect.any(String) });
  });

  it('round-trips a real-world file: diff shows creates, sync applies, then diff shows no change', async () => {
    expect(await cli('validate', '-f', FIXTURE)).toMatchObject({ code: 0, stdout: expect.stringContaining('is valid') });

    const before = await cli('diff', '-f', FIXTURE, '--exit-code');
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('creating service catalog');
    expect(before.stdout).toContain('creating route catalog-product-by-id');
    expect(before.stdout).toMatch(/Created: 56\n {2}Updated: 0\n {2}Deleted: 0/);
    expect(before.stdout).not.toContain('\u001b['); // not a terminal: no colour

    const sync = await cli('sync', '-f', FIXTURE);
    expect(sync).toMatchObject({ code: 0 });
    expect(sync.stderr).toContain('applying: 56 created, 0 updated, 0 deleted');

    const after = await cli('diff', '-f', FIXTURE, '--exit-code');
    expect(after).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });

    const versions = await query<{ config_version: string }>(databaseUrl, "SELECT config_version FROM runtime_groups WHERE name = 'default'");
    expect(Number(versions[0]!.config_version)).toBe(1); // one sync, one config change

    const routes = await cli('routes', 'list', '--output', 'json');
    const byName = new Map((JSON.parse(routes.stdout) as { name: string; paths: string[] }[]).map((r) => [r.name, r]));
    expect(byName.get('catalog-product-by-id')!.paths).toEqual(['~/products/(?<id>\\d+)$']);
    const keys = await query<{ key_hash: string }>(databaseUrl, 'SELECT key_hash FROM keyauth_credentials');
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k.key_hash))).toBe(true);
  });

  it('dumps without plaintext secrets, and the dump syncs back as no change', async () => {
    const out = path.join(dir, 'dump.yaml');
    expect(await cli('dump', '-o', out)).toMatchObject({ code: 0 });
    const text = fs.readFileSync(out, 'utf8');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(text).not.toMatch(/alice-secret-key|bob-password|alice-password/);
    const doc = YAML.parse(text) as {
      services: { name: string; routes?: { name?: string }[] }[];
      consumers: { username?: string; keyauth_credentials?: { key_hash: string }[] }[];
    };
    expect(doc.services.map((s) => s.name)).toEqual(['accounts', 'admin-panel', 'catalog', 'metrics-sink', 'orders', 'static-assets']);
    expect(doc.consumers.find((c) => c.username === 'alice')!.keyauth_credentials).toHaveLength(2);

    expect(await cli('diff', '-f', out, '--exit-code')).toMatchObject({ code: 0 });
    expect(await cli('sync', '-f', out)).toMatchObject({ code: 0, stderr: expect.stringContaining('0 created, 0 updated, 0 deleted') });

    const json = await cli('dump', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual(doc);
  });

  it('shows field updates and deletes, coloured when asked, and applies them', async () => {
    const changed = path.join(dir, 'changed.yaml');
    const text = fs
      .readFileSync(FIXTURE, 'utf8')
      .replace('retries: 3', 'retries: 7')
      .replace(/ {2}- name: static-assets\n {4}host: cdn.internal\n {4}routes:\n {6}- name: assets\n {8}paths: \[\/static, \/assets\]\n/, '');
    fs.writeFileSync(changed, text);
    const diff = await runCli(['diff', '-f', changed], { ...env, FORCE_COLOR: '1' });
    expect(diff.stdout).toContain('\u001b[33mupdating service catalog\u001b[39m');
    expect(diff.stdout).toContain('retries: \u001b[31m3\u001b[39m → \u001b[32m7\u001b[39m');
    expect(diff.stdout).toContain('\u001b[31mdeleting service static-assets\u001b[39m');
    expect(diff.stdout).toMatch(/Created: 0\n {2}Updated: 1\n {2}Deleted: 2/);

    expect(await cli('sync', '-f', changed)).toMatchObject({ code: 0 });
    const services = JSON.parse((await cli('services', 'list', '--output', 'json')).stdout) as { name: string; retries: number }[];
    expect(services.find((s) => s.name === 'catalog')!.retries).toBe(7);
    expect(services.map((s) => s.name)).not.toContain('static-assets');
    expect(await cli('diff', '-f', changed, '--exit-code')).toMatchObject({ code: 0 });
  });

  it('a bad file fails validate and sync naming each field, and changes nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      `_format_version: "3.0"
services:
  - name: broken
    host: broken.internal
    port: eighty
    colour: blue
    routes:
      - name: twice
        paths: [/one]
      - name: twice
        paths: [/two]
`,
    );
    const expected = ['services[0].port:', 'services[0].colour: unknown field', 'services[0].routes[1].name: duplicate route "twice"'];
    const validate = await cli('validate', '-f', bad);
    expect(validate.code).toBe(1);
    for (const line of expected) expect(validate.stderr).toContain(line);

    const dumpBefore = (await cli('dump')).stdout;
    const sync = await cli('sync', '-f', bad);
    expect(sync.code).toBe(1);
    for (const line of expected) expect(sync.stderr).toContain(line);
    expect((await cli('dump')).stdout).toBe(dumpBefore);
  });

  it('the API refuses a bad file sent past the CLI with 400 naming the field, and changes nothing', async () => {
    const token = (
      JSON.parse(fs.readFileSync(path.join(env.GATEHOUSE_CONFIG_DIR!, 'credentials.json'), 'utf8')) as { tokens: Record<string, { token: string }> }
    ).tokens[new URL(cp.url).origin]!.token;
    const version = await query<{ config_version: string }>(databaseUrl, "SELECT config_version FROM runtime_groups WHERE name = 'default'");
    const res = await fetch(`${cp.url}/v1/runtime-groups/default/config`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      body: '_format_version: "3.0"\nroutes:\n  - name: r\n    paths: [/r]\n    strip_path: "yes"\n',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'schema_violation', fields: { 'routes[0].strip_path': expect.any(String) } });
    const after = await query<{ config_version: string }>(databaseUrl, "SELECT config_version FROM runtime_groups WHERE name = 'default'");
    expect(after).toEqual(version);
  });

  it('answers the dump as YAML or JSON by Accept', async () => {
    const token = (
      JSON.parse(fs.readFileSync(path.join(env.GATEHOUSE_CONFIG_DIR!, 'credentials.json'), 'utf8')) as { tokens: Record<string, { token: string }> }
    ).tokens[new URL(cp.url).origin]!.token;
    const get = (accept: string) => fetch(`${cp.url}/v1/runtime-groups/default/config`, { headers: { authorization: `Bearer ${token}`, accept } });
    const yaml = await get('application/yaml');
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toMatch(/^_format_version: "3.0"\n/);
    const json = await get('application/json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({ _format_version: '3.0' });
  });
});
