import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../support/database';
import { client, login, type Client } from '../support/api';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { TestDp } from '../cluster/dp-client';
import { runCli } from './run-cli';

const RG = '/v1/runtime-groups/default';

/** `gatehouse upstreams health` and `set-health` against a real CP, with a protocol-level DP reporting and receiving overrides. */
describe('gatehouse upstreams health / set-health', () => {
  let cp: TestControlPlane;
  let api: Client;
  let dir: string;
  let env: Record<string, string>;
  let dp: TestDp | undefined;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase('cli_health') });
    api = client(cp.url, await login(cp.url));
    dir = tempDir('gatehouse-cli-health-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
  });
  afterAll(async () => {
    dp?.close();
    await cp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists each target's health with every node's view, and sends overrides to the DPs", async () => {
    const up = await api.ok<{ id: string }>('POST', `${RG}/upstreams`, { name: 'shop.upstream' });
    await api.ok('POST', `${RG}/upstreams/shop.upstream/targets`, { target: '10.0.0.1:80' });
    await api.ok('POST', `${RG}/upstreams/shop.upstream/targets`, { target: '10.0.0.2:80', weight: 0 });
    // Checks off, no node: HEALTHCHECKS_OFF.
    const off = await cli('upstreams', 'health', 'shop.upstream');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/TARGET\s+WEIGHT\s+HEALTH\s+NODES/);
    expect(off.stdout).toMatch(/10\.0\.0\.2:80\s+0\s+HEALTHCHECKS_OFF\s+-/);

    const cert = (await api.post(`${RG}/dp-certificates`)).body;
    dp = await TestDp.connect(cp.clusterPort, cert, { hostname: 'edge-1' });
    dp.hello();
    await dp.waitFor('snapshot');
    dp.send({
      type: 'health',
      upstreams: [{ id: up.id, name: 'shop.upstream', targets: [{ target: '10.0.0.1:80', weight: 100, health: 'UNHEALTHY' }] }],
    });
    dp.send({ type: 'ping', hash: null });
    await dp.waitFor('pong');
    const table = await cli('upstreams', 'health', 'shop.upstream');
    expect(table.stdout).toMatch(/TARGET\s+WEIGHT\s+HEALTH\s+NODES\s+ADDRESSES/);
    expect(table.stdout).toMatch(/10\.0\.0\.1:80\s+100\s+UNHEALTHY\s+\S+=UNHEALTHY\s+10\.0\.0\.1:80=UNHEALTHY/);
    const json = await cli('upstreams', 'health', up.id, '--output', 'json');
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        target: '10.0.0.1:80',
        health: 'UNHEALTHY',
        data: expect.objectContaining({ nodes: [expect.objectContaining({ node_id: dp.nodeId, health: 'UNHEALTHY' })] }),
      }),
      expect.objectContaining({ target: '10.0.0.2:80', health: 'HEALTHCHECKS_OFF' }),
    ]);

    expect(await cli('upstreams', 'set-health', 'shop.upstream', '10.0.0.1:80', 'healthy')).toMatchObject({ code: 0 });
    expect(await dp.waitFor('health_override', undefined, 5000)).toEqual({ type: 'health_override', upstream_id: up.id, target: '10.0.0.1:80', healthy: true });
    const bad = await cli('upstreams', 'set-health', 'shop.upstream', '10.0.0.1:80', 'sick');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("health: expected one of: healthy, unhealthy (got 'sick')");
    const missing = await cli('upstreams', 'health', 'nope.upstream');
    expect(missing.code).toBe(1);
  });
});
