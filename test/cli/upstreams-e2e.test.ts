import fs from 'node:fs';
import path from 'node:path';
import { request } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane, type TestProcess } from '../support/processes';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { runCli } from './run-cli';

/** A kong.yml balancing one service over three echo processes; the weights are the test's. */
function kongYml(ports: number[], weights: number[]): string {
  return `_format_version: "2.1"
services:
  - name: shop
    host: shop.upstream
    routes:
      - name: shop
        paths: [/shop]
upstreams:
  - name: shop.upstream
    max_concurrent_requests_per_target: 50
    targets:
${ports.map((p, i) => `      - target: 127.0.0.1:${p}\n        weight: ${weights[i] ?? 100}`).join('\n')}
`;
}

describe('upstreams through the CLI, the CP and a real DP', () => {
  let cp: TestControlPlane;
  const echoes: (TestProcess & { url: string })[] = [];
  let dp: ScriptedDataPlane | undefined;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    const started = await Promise.all([startControlPlane({ databaseUrl: await createTestDatabase() }), startEcho(), startEcho(), startEcho()]);
    cp = started[0];
    echoes.push(started[1], started[2], started[3]);
    dir = tempDir('gatehouse-upstreams-e2e-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await Promise.all([dp, cp, ...echoes].filter((p) => p !== undefined).map((p) => p.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validates, syncs, dumps and diffs upstreams with nested targets; the DP balances by weight and follows a new weight', async () => {
    const ports = echoes.map((e) => Number(new URL(e.url).port));
    const file = path.join(dir, 'kong.yml');
    fs.writeFileSync(file, kongYml(ports, [100, 100, 0]));
    expect(await cli('validate', '-f', file)).toMatchObject({ code: 0, stdout: expect.stringContaining('is valid') });
    const before = await cli('diff', '-f', file, '--exit-code');
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('creating upstream shop.upstream');
    expect(before.stdout).toContain('creating target');
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0, stderr: expect.stringContaining('6 created, 0 updated, 0 deleted') });
    expect(await cli('diff', '-f', file, '--exit-code')).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });

    const dumped = path.join(dir, 'dump.yml');
    expect(await cli('dump', '-o', dumped)).toMatchObject({ code: 0 });
    const dump = fs.readFileSync(dumped, 'utf8');
    expect(dump).toMatch(/upstreams:\n {2}- name: shop\.upstream[\s\S]*targets:\n {6}- target: 127\.0\.0\.1:\d+/);
    expect(dump).toMatch(/max_concurrent_requests_per_target: 50\n/);
    expect(await cli('diff', '-f', dumped, '--exit-code')).toMatchObject({ code: 0 });
    const listed = await cli('upstreams', 'list', '--output', 'json');
    expect((JSON.parse(listed.stdout) as { name: string; algorithm: string }[]).map((u) => [u.name, u.algorithm])).toEqual([['shop.upstream', 'round-robin']]);

    const script = path.join(dir, 'launch.sh');
    expect(await cli('launch-script', '--kind', 'shell', '-o', script)).toMatchObject({ code: 0 });
    dp = await runLaunchScript(fs.readFileSync(script, 'utf8'));
    const proxy = dp.proxyUrl;
    await waitFor('the balanced route', async () => (await request(`${proxy}/shop`)).status === 200).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${dp?.lines.slice(-15).join('\n')}`, { cause: err });
    });

    const tally = async (n: number): Promise<number[]> => {
      const counts = ports.map(() => 0);
      for (let i = 0; i < n; i++) {
        const res = await request(`${proxy}/shop`);
        expect(res.status).toBe(200);
        const host = String(res.body.headers.host);
        const at = ports.findIndex((p) => host === `127.0.0.1:${p}`);
        counts[at] = (counts[at] ?? 0) + 1;
      }
      return counts;
    };
    expect(await tally(60)).toEqual([30, 30, 0]);

    fs.writeFileSync(file, kongYml(ports, [100, 100, 100]));
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0, stderr: expect.stringContaining('0 created, 1 updated, 0 deleted') });
    await waitFor('the third target to get traffic', async () => (await tally(6))[2] !== 0, 10_000);
    expect(await tally(90)).toEqual([30, 30, 30]);
  });
});
