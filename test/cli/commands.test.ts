import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createTestDatabase } from '../support/database';
import { freePort, startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { runCli } from './run-cli';

describe('gatehouse commands against a real control plane', () => {
  let cp: TestControlPlane;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase() });
    dir = tempDir('gatehouse-cli-');
    env = { GATEHOUSE_URL: cp.url, XDG_CONFIG_HOME: path.join(dir, 'xdg') };
  });

  afterAll(async () => {
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without a token, says how to log in and exits 1', async () => {
    const run = await cli('services', 'list');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/HTTP 401\): run `gatehouse login`, or pass --token \/ GATEHOUSE_TOKEN/);
  });

  it('refuses a wrong password with exit 1 and saves nothing', async () => {
    const run = await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', 'wrong-password-123');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: .*HTTP 401/);
    expect(fs.existsSync(path.join(dir, 'xdg', 'gatehouse', 'credentials.json'))).toBe(false);
  });

  it('logs in with the password on stdin, saving under XDG_CONFIG_HOME with mode 0600', async () => {
    const run = await runCli(['login', '--email', TEST_ADMIN_EMAIL, '--password-stdin'], env, `${TEST_ADMIN_PASSWORD}\n`);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(`logged in to ${cp.url} as ${TEST_ADMIN_EMAIL}`) });
    const file = path.join(dir, 'xdg', 'gatehouse', 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('logs in with a personal access token given by --token, checking it first', async () => {
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'xdg', 'gatehouse', 'credentials.json'), 'utf8')) as { tokens: Record<string, { token: string }> };
    const session = saved.tokens[new URL(cp.url).origin]!.token;
    const res = await fetch(`${cp.url}/v1/personal-access-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      body: '{"name":"ci"}',
    });
    const pat = ((await res.json()) as { token: string }).token;
    const patEnv = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'pat') };
    expect(await runCli(['--token', 'gpat_not-a-real-token', 'login'], patEnv)).toMatchObject({ code: 1 });
    expect(fs.existsSync(path.join(dir, 'pat', 'credentials.json'))).toBe(false);
    expect(await runCli(['--token', pat, 'login'], patEnv)).toMatchObject({ code: 0, stdout: expect.stringContaining(`(${TEST_ADMIN_EMAIL})`) });
    expect(await runCli(['runtime-groups', 'list', '--output', 'json'], patEnv)).toMatchObject({ code: 0 });
  });

  it('lists runtime groups and services as a table, JSON or YAML', async () => {
    const groups = await cli('runtime-groups', 'list');
    expect(groups.stdout).toMatch(/^ID +NAME +DESCRIPTION\n[0-9a-f-]{36} +default +The default runtime group\n$/);
    const file = path.join(dir, 'one.yaml');
    fs.writeFileSync(
      file,
      '_format_version: "3.0"\nservices:\n  - name: echo\n    url: http://127.0.0.1:3000/base\n    tags: [demo]\n    routes:\n      - { name: echo-r, paths: ["~/items/\\\\d+$"], methods: [GET] }\nconsumers:\n  - username: carol\n',
    );
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0 });
    const table = (await cli('services', 'list')).stdout.split('\n');
    expect(table[0]).toMatch(/^ID +NAME +PROTOCOL +HOST +PORT +PATH +TAGS$/);
    expect(table[1]).toMatch(/^[0-9a-f-]{36} +echo +http +127\.0\.0\.1 +3000 +\/base +demo$/);
    const routes = JSON.parse((await cli('routes', 'list', '--output', 'json')).stdout) as { paths: string[] }[];
    expect(routes[0]!.paths).toEqual(['~/items/\\d+$']);
    expect(YAML.parse((await cli('consumers', 'list', '--output', 'yaml')).stdout)).toEqual([expect.objectContaining({ username: 'carol' })]);
    expect((await cli('plugins', 'list')).stdout).toBe('ID  NAME  SERVICE  ROUTE  CONSUMER  ENABLED\n');
    expect((await cli('nodes', 'list')).stdout).toMatch(/^ID +HOSTNAME +VERSION +SYNC STATUS +LAST SEEN +CERT EXPIRES\n$/);
  });

  it('works on the runtime group a file names in _konnect, unless --runtime-group says otherwise', async () => {
    expect((await cli('--output', 'json', 'runtime-groups', 'list')).code).toBe(0);
    const file = path.join(dir, 'konnect.yaml');
    fs.writeFileSync(file, '_format_version: "3.0"\n_konnect:\n  runtime_group_name: nowhere\nservices: []\n');
    const named = await cli('diff', '-f', file);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain("runtime group 'nowhere' not found");
    const chosen = await cli('--runtime-group', 'default', 'diff', '-f', file);
    expect(chosen).toMatchObject({ code: 0, stdout: expect.stringContaining('deleting service echo') });
  });

  it('issues, lists, renews and revokes data-plane certificates', async () => {
    const out = path.join(dir, 'certs');
    const issued = await cli('certs', 'issue', '--out-dir', out, '--validity-days', '30');
    expect(issued.code).toBe(0);
    const id = issued.stdout.trim();
    expect(fs.readFileSync(path.join(out, 'cluster.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(fs.statSync(path.join(out, 'cluster.key')).mode & 0o777).toBe(0o600);
    expect((await cli('certs', 'list')).stdout).toContain(id);
    const renewed = YAML.parse((await cli('certs', 'renew', id)).stdout) as { id: string; cert: string; key?: string };
    expect(renewed.cert).toContain('BEGIN CERTIFICATE');
    expect(renewed.key).toBeUndefined();
    expect(await cli('certs', 'revoke', id)).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
    const list = JSON.parse((await cli('certs', 'list', '--output', 'json')).stdout) as { id: string; revoked: boolean }[];
    expect(list.find((c) => c.id === id)!.revoked).toBe(true);
    expect((await cli('certs', 'revoke', '00000000-0000-4000-8000-000000000000')).code).toBe(1);
  });

  it('writes a launch script with a certificate inside, only its owner can read', async () => {
    const file = path.join(dir, 'launch.sh');
    expect(await cli('launch-script', '--kind', 'docker', '-o', file)).toMatchObject({ code: 0 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^#!/);
    expect((await cli('launch-script', '--kind', 'podman')).code).toBe(1);
  });

  it('exits 1 with one clear line when the control plane is unreachable', async () => {
    const run = await runCli(['runtime-groups', 'list'], { ...env, GATEHOUSE_URL: `http://127.0.0.1:${await freePort()}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: cannot reach the control plane at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });
});
