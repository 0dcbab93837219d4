import fs from 'node:fs';
import path from 'node:path';
import { startNode, tempDir, type TestProcess } from '../support/processes';
import { DP_MAIN, makeCertificate, request, startBuiltDataPlane, startEcho, writeConfigCache, type BuiltDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';

describe('data plane process (built dist/main.js)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dir: string;
  let certs: { cert: string; key: string };
  const running: TestProcess[] = [];

  // Nothing listens at the DP's CP address: it must serve from its cache without a control plane.
  async function startDp(extra: Record<string, string | undefined> = {}): Promise<BuiltDataPlane> {
    const dp = await startBuiltDataPlane(dir, certs, extra);
    running.push(dp.proc);
    return dp;
  }

  beforeAll(async () => {
    echo = await startEcho();
    dir = tempDir('gatehouse-dp-proc-');
    certs = makeCertificate(dir, 'dp');
    const svc = service({ name: 'example_service', port: echo.port });
    const config = gateway({ services: [svc], routes: [route({ service: svc, name: 'mockbin', methods: ['GET'], paths: ['/mock'] })] });
    writeConfigCache(dir, config, 3);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await echo.close();
  });

  it('serves its cached config at start-up with no control plane reachable', async () => {
    const { proc, proxy, status, ready } = await startDp();
    const cache = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { hash: string };
    expect(ready.config_hash).toBe(cache.hash);
    const res = await request(`http://127.0.0.1:${proxy}/mock/x`);
    expect(res.status).toBe(200);
    expect(res.json.path).toBe('/x');
    expect((await request(`http://127.0.0.1:${proxy}/mock`, { method: 'POST' })).status).toBe(404);
    expect((await request(`http://127.0.0.1:${status}/status/ready`)).status).toBe(200);
    const st = await request(`http://127.0.0.1:${status}/status`);
    expect(st.json).toMatchObject({ configuration_hash: cache.hash, config_version: 3, node_id: ready.node_id });
    const metrics = await request(`http://127.0.0.1:${status}/metrics`);
    expect(metrics.body).toContain('gatehouse_config_routes 1');
    expect(metrics.body).toContain(`gatehouse_config_hash_info{hash="${cache.hash}"} 1`);
    await proc.stop();
    expect(proc.child.exitCode).toBe(0);
  });

  it('keeps its node id across restarts', async () => {
    const first = fs.readFileSync(path.join(dir, 'node_id'), 'utf8').trim();
    const { proc, ready } = await startDp();
    expect(ready.node_id).toBe(first);
    await proc.stop();
  });

  it('ignores a cache whose hash does not match, and is not ready', async () => {
    const tampered = tempDir('gatehouse-dp-bad-');
    const file = path.join(tampered, 'config.json');
    const good = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { config: { routes: { paths: string[] }[] } };
    (good.config.routes[0] as { paths: string[] }).paths = ['/evil'];
    fs.writeFileSync(file, JSON.stringify(good));
    const { proc, status, ready } = await startDp({ GATEHOUSE_DP_DIR: tampered });
    expect(ready.config_hash).toBeNull();
    expect(proc.lines.some((l) => l.includes('"config_cache_invalid"') && l.includes('hash does not match'))).toBe(true);
    expect((await request(`http://127.0.0.1:${status}/status/ready`)).status).toBe(503);
    await proc.stop();
  });

  it('stops with one clear line naming a missing or wrong setting', async () => {
    const missing = startNode(DP_MAIN, {
      GATEHOUSE_CLUSTER_CONTROL_PLANE: undefined,
      GATEHOUSE_CLUSTER_CERT: certs.cert,
      GATEHOUSE_CLUSTER_CERT_KEY: certs.key,
      GATEHOUSE_DP_DIR: dir,
    });
    running.push(missing);
    await new Promise((r) => missing.child.once('exit', r));
    expect(missing.child.exitCode).toBe(2);
    expect(missing.lines).toEqual(['gatehouse data plane: GATEHOUSE_CLUSTER_CONTROL_PLANE: is required']);

    const wrong = startNode(DP_MAIN, {
      GATEHOUSE_CLUSTER_CONTROL_PLANE: 'cp:8005',
      GATEHOUSE_CLUSTER_CERT: certs.cert,
      GATEHOUSE_CLUSTER_CERT_KEY: certs.key,
      GATEHOUSE_PROXY_LISTEN: 'nope',
      GATEHOUSE_DP_DIR: dir,
    });
    running.push(wrong);
    await new Promise((r) => wrong.child.once('exit', r));
    expect(wrong.child.exitCode).toBe(2);
    expect(wrong.lines[0]).toMatch(/^gatehouse data plane: GATEHOUSE_PROXY_LISTEN: expected host:port/);
  });
});
