import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import YAML from 'yaml';
import { request } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane, type TestProcess } from '../support/processes';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { runCli } from './run-cli';

/**
 * A kong.yml as self-hosting projects ship them for Kong DB-less: `_comment`s
 * on the file and on entities at every depth, an `_ignore`, `_workspace:
 * default`, `_transform`, decK's `_info` with select tags and defaults, a
 * request-transformer template and a post-function.
 */
function kongYml(upstream: string): string {
  return `_format_version: "3.0"
_transform: true
_workspace: default
_comment: |
  Self-hosted gateway. Keys below are examples; rotate them.
_ignore:
  - anchors: { retries: 3 }
_info:
  select_tags: [edge]
  defaults:
    route: { strip_path: false }
services:
  - name: api
    _comment: the backend API
    url: ${upstream}
    routes:
      - name: open
        _comment: public, no auth
        paths: [/open]
        plugins:
          - name: request-transformer
            _comment: a Kong template, evaluated per request
            config:
              add:
                headers: ['x-user:$(headers["x-user-id"] or "anonymous")']
          - name: post-function
            _comment: small header logic, as real files ship it
            config:
              header_filter: ["kong.response.set_header('X-Served-By', 'gatehouse')"]
      - name: keyed
        _comment: needs an API key
        paths: [/keyed]
        plugins:
          - name: key-auth
            _comment: the realm shows in WWW-Authenticate
            config: { realm: selfhosted, hide_credentials: true }
consumers:
  - username: app
    _comment: the mobile app
    keyauth_credentials:
      - key: app-key-1
        _comment: issued 2026-01
plugins:
  - name: correlation-id
    _comment: a global plugin
    _ignore: [{ note: kept out of the config }]
`;
}

/** A request with the given header lines sent as they are (repeats kept). */
function rawGet(url: string, lines: [string, string][]): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: ['host', u.host, ...lines.flat()], timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a kong.yml with _comment and the other underscore keys: validate, sync, dump, and a real DP', () => {
  let cp: TestControlPlane;
  let echo: TestProcess & { url: string };
  let dp: ScriptedDataPlane | undefined;
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startControlPlane({ databaseUrl: await createTestDatabase() }), startEcho()]);
    dir = tempDir('gatehouse-cli-comments-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
    file = path.join(dir, 'kong.yml');
    fs.writeFileSync(file, kongYml(echo.url));
  });

  afterAll(async () => {
    await Promise.all([dp, cp, echo].filter((p) => p !== undefined).map((p) => p.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validates, syncs, and a second diff shows no change', async () => {
    const validate = await cli('validate', '-f', file);
    expect(validate).toMatchObject({ code: 0, stdout: expect.stringContaining('is valid') });
    expect(validate.stderr).not.toContain('warning');
    const sync = await cli('sync', '-f', file);
    expect(sync).toMatchObject({ code: 0 });
    expect(sync.stderr).toContain('applying: 9 created, 0 updated, 0 deleted');
    expect(await cli('diff', '-f', file, '--exit-code')).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });
  });

  it('dumps without the notes (Kong drops them on import), and the dump syncs back as no change', async () => {
    const out = path.join(dir, 'dump.yaml');
    expect(await cli('dump', '-o', out)).toMatchObject({ code: 0 });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toMatch(/_comment|_ignore|_workspace|_info/);
    const doc = YAML.parse(text) as { services: { routes: { name: string; strip_path: boolean; tags: string[] }[] }[] };
    // The defaults and select tags were applied and stored, so the dump carries them as plain fields.
    expect(doc.services[0]!.routes.map((r) => [r.name, r.strip_path, r.tags])).toEqual([
      ['keyed', false, ['edge']],
      ['open', false, ['edge']],
    ]);
    expect(await cli('diff', '-f', out, '--exit-code')).toMatchObject({ code: 0 });
  });

  it('serves the file through a real DP as Kong would: defaults applied, the template and post-function run, key-auth with the realm, duplicates refused', async () => {
    const script = path.join(dir, 'launch.sh');
    expect(await cli('launch-script', '--kind', 'shell', '-o', script)).toMatchObject({ code: 0 });
    dp = await runLaunchScript(fs.readFileSync(script, 'utf8'));
    const proxy = dp.proxyUrl;

    const open = await waitFor('the open route', async () => {
      const res = await request<{ path: string; headers: Record<string, string> }>(`${proxy}/open/thing`);
      return res.status === 200 ? res : undefined;
    });
    expect(open.body.path).toBe('/open/thing'); // strip_path false from _info.defaults
    expect(open.body.headers['x-user']).toBe('anonymous'); // the template ran; its text never went upstream
    expect(open.headers.get('x-served-by')).toBe('gatehouse'); // the post-function ran
    const user = await request<{ headers: Record<string, string> }>(`${proxy}/open/thing`, { headers: { 'x-user-id': 'u-42' } });
    expect(user.body.headers['x-user']).toBe('u-42');
    expect(open.body.headers['kong-request-id']).toBeDefined(); // the global plugin

    const missing = await request(`${proxy}/keyed`);
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Key realm="selfhosted"']);
    const ok = await request<{ headers: Record<string, string> }>(`${proxy}/keyed`, { headers: { apikey: 'app-key-1' } });
    expect(ok.status).toBe(200);
    expect(ok.body.headers['x-consumer-username']).toBe('app');
    expect(ok.body.headers.apikey).toBeUndefined();
    const twice = await rawGet(`${proxy}/keyed`, [
      ['apikey', 'app-key-1'],
      ['apikey', 'app-key-1'],
    ]);
    expect([twice.status, JSON.parse(twice.body)]).toEqual([401, { message: 'Duplicate API key found' }]);
  });

  it('names a wrong note or another workspace by its path, in validate and in the API, and changes nothing', async () => {
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(
      bad,
      kongYml(echo.url)
        .replace('_workspace: default', '_workspace: team-a')
        .replace('_comment: public, no auth', '_comment: { not: text }')
        .replace('_comment: issued 2026-01', '_comment: 2026'),
    );
    const validate = await cli('validate', '-f', bad);
    expect(validate.code).toBe(1);
    for (const line of [
      'services[0].routes[0]._comment: expected a string',
      'consumers[0].keyauth_credentials[0]._comment: expected a string',
      '_workspace: workspace "team-a" is not supported by Gatehouse',
    ]) {
      expect(validate.stderr).toContain(line);
    }

    const token = (
      JSON.parse(fs.readFileSync(path.join(env.GATEHOUSE_CONFIG_DIR!, 'credentials.json'), 'utf8')) as { tokens: Record<string, { token: string }> }
    ).tokens[new URL(cp.url).origin]!.token;
    const before = (await cli('dump')).stdout;
    const res = await fetch(`${cp.url}/v1/runtime-groups/default/config`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      body: fs.readFileSync(bad, 'utf8'),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'schema_violation',
      fields: {
        'services[0].routes[0]._comment': 'expected a string',
        'consumers[0].keyauth_credentials[0]._comment': 'expected a string',
        _workspace: expect.stringContaining('not supported by Gatehouse'),
      },
    });
    expect((await cli('dump')).stdout).toBe(before);
  });
});
