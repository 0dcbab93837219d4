import fs from 'node:fs';
import path from 'node:path';
import { request } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane, type TestProcess } from '../support/processes';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { runCli } from './run-cli';

/** A kong.yml synced with the CLI, served by a data plane started from the CLI's launch script. */
function kongYml(upstream: string, withGone: boolean): string {
  return `_format_version: "3.0"
services:
  - name: shop
    url: ${upstream}
    routes:
      - name: items
        methods: [GET]
        paths: ["~/items/\\\\d+$"]
        strip_path: false
      - name: private
        paths: [/private]
        plugins:
          - name: key-auth
            config: { key_names: [apikey] }
          - name: acl
            config: { allow: [buyers] }
${
  withGone
    ? `      - name: gone
        paths: [/gone]
        plugins:
          - name: request-termination
            config: { status_code: 410, message: "gone for good" }
`
    : ''
}consumers:
  - username: alice
    keyauth_credentials: [{ key: alice-key }]
    acls: [{ group: buyers }]
  - username: bob
    keyauth_credentials: [{ key: bob-key }]
`;
}

describe('the proxy routes as the synced file says', () => {
  let cp: TestControlPlane;
  let echo: TestProcess & { url: string };
  let dp: ScriptedDataPlane | undefined;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startControlPlane({ databaseUrl: await createTestDatabase() }), startEcho()]);
    dir = tempDir('gatehouse-cli-e2e-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await Promise.all([dp, cp, echo].filter((p) => p !== undefined).map((p) => p.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a regex route, key-auth with the file’s keys, acl groups and plugins, then follows the next sync', async () => {
    const file = path.join(dir, 'kong.yml');
    fs.writeFileSync(file, kongYml(echo.url, true));
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0 });

    const script = path.join(dir, 'launch.sh');
    expect(await cli('launch-script', '--kind', 'shell', '-o', script)).toMatchObject({ code: 0 });
    dp = await runLaunchScript(fs.readFileSync(script, 'utf8'));
    const proxy = dp.proxyUrl;

    const item = await waitFor('the regex route', async () => {
      const res = await request(`${proxy}/items/42`);
      return res.status === 200 ? res : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${dp?.lines.slice(-15).join('\n')}`, { cause: err });
    });
    expect(item.body).toMatchObject({ method: 'GET', path: '/items/42' });
    expect((await request(`${proxy}/items/abc`)).status).toBe(404);

    const noKey = await request(`${proxy}/private`);
    expect(noKey.status).toBe(401);
    expect(noKey.body.message).toBe('No API key found in request');
    const alice = await request(`${proxy}/private?apikey=alice-key`);
    expect(alice.status).toBe(200);
    expect(alice.body.headers['x-consumer-username']).toBe('alice');
    expect((await request(`${proxy}/private`, { headers: { apikey: 'bob-key' } })).status).toBe(403);
    expect((await request(`${proxy}/private?apikey=wrong`)).status).toBe(401);

    const gone = await request(`${proxy}/gone`);
    expect(gone.status).toBe(410);
    expect(gone.body.message).toBe('gone for good');

    fs.writeFileSync(file, kongYml(echo.url, false));
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0, stderr: expect.stringContaining('0 created, 0 updated, 2 deleted') });
    await waitFor('the deleted route to stop matching', async () => (await request(`${proxy}/gone`)).status === 404, 10_000);
  });
});
