import path from 'node:path';
import { DP_NODE_FLAGS } from '../../packages/data-plane/src/node-flags';
import type { Client } from '../support/api';
import { gateway, plugin, route, service } from '../support/config-builder';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { freePort, REPO_ROOT, startCommand, tempDir, type TestProcess } from '../support/processes';
import { DP_MAIN, makeCertificate, request, startEcho, writeConfigCache, type Reply } from '../data-plane/support';

/**
 * docs/SECURITY.md (Regex denial of service): no request can make a
 * configured regex run unbounded. Each evil input below held a DP's event
 * loop for 11.9 s or more before; a loose bound of one second is asserted.
 */
const EVIL = 'a'.repeat(31);
const BOUND_MS = 1000;

/** The `fields` of a schema_violation answer. */
function fieldsOf(res: { body: unknown }): Record<string, string> {
  return (res.body as { fields: Record<string, string> }).fields;
}

async function timed(run: () => Promise<Reply>): Promise<{ reply: Reply; ms: number }> {
  const started = performance.now();
  const reply = await run();
  return { reply, ms: performance.now() - started };
}

/** The built DP with DP_NODE_FLAGS on its command line, as launch scripts and the Dockerfile start it. */
async function startDp(dir: string, certs: { cert: string; key: string }): Promise<{ proc: TestProcess; proxy: number; status: number }> {
  const proxy = await freePort();
  const status = await freePort();
  const proc = startCommand(process.execPath, [...DP_NODE_FLAGS, path.join(REPO_ROOT, DP_MAIN)], {
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxy}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${status}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: `127.0.0.1:${await freePort()}`,
    GATEHOUSE_CLUSTER_CERT: certs.cert,
    GATEHOUSE_CLUSTER_CERT_KEY: certs.key,
    GATEHOUSE_DP_DIR: dir,
  });
  await proc.waitForEvent('dp_ready', 20_000);
  return { proc, proxy, status };
}

describe('regex denial of service', () => {
  const running: TestProcess[] = [];
  let echo: Awaited<ReturnType<typeof startEcho>>;

  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await echo.close();
  });

  describe('a built DP serving nested-repetition regexes', () => {
    let base: string;

    beforeAll(async () => {
      const dir = tempDir('gatehouse-redos-');
      const svc = service({ name: 'echo', port: echo.port });
      const cors = route({ service: svc, name: 'cors', paths: ['/cors'] });
      const config = gateway({
        services: [svc],
        routes: [
          route({ service: svc, name: 'redos', paths: ['~/redos/(a+)+$'] }),
          route({ service: svc, name: 'header', paths: ['/hdr'], headers: { 'x-foo': ['~*^(a+)+$'] } }),
          cors,
          route({ service: svc, name: 'ok', paths: ['/ok'] }),
        ],
        plugins: [plugin('cors', { route: cors, config: { origins: ['https://app.example.com', '(a+)+\\.example\\.com'] } })],
      });
      writeConfigCache(dir, config, 1);
      const dp = await startDp(dir, makeCertificate(dir, 'dp'));
      running.push(dp.proc);
      base = `http://127.0.0.1:${dp.proxy}`;
    });

    it('answers an evil regex path quickly, and serves another request meanwhile', async () => {
      const [evil, other] = await Promise.all([timed(() => request(`${base}/redos/${EVIL}!`)), timed(() => request(`${base}/ok`))]);
      expect(evil.reply.status).toBe(404);
      expect(evil.ms).toBeLessThan(BOUND_MS);
      expect(other.reply.status).toBe(200);
      expect(other.ms).toBeLessThan(BOUND_MS);
      expect((await request(`${base}/redos/${EVIL}`)).status).toBe(200);
    });

    it('answers an evil value for a ~* header regex quickly, and serves another request meanwhile', async () => {
      const [evil, other] = await Promise.all([timed(() => request(`${base}/hdr`, { headers: { 'x-foo': `${EVIL}!` } })), timed(() => request(`${base}/ok`))]);
      expect(evil.reply.status).toBe(404);
      expect(evil.ms).toBeLessThan(BOUND_MS);
      expect(other.reply.status).toBe(200);
      expect(other.ms).toBeLessThan(BOUND_MS);
      expect((await request(`${base}/hdr`, { headers: { 'x-foo': 'AaA' } })).status).toBe(200);
    });

    it('answers an evil Origin for a cors origin regex quickly, and serves another request meanwhile', async () => {
      const [evil, other] = await Promise.all([
        timed(() => request(`${base}/cors`, { headers: { origin: `http://${EVIL}!.example.com` } })),
        timed(() => request(`${base}/ok`)),
      ]);
      expect(evil.reply.status).toBe(200);
      expect(evil.reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(evil.ms).toBeLessThan(BOUND_MS);
      expect(other.reply.status).toBe(200);
      expect(other.ms).toBeLessThan(BOUND_MS);
      const allowed = await request(`${base}/cors`, { headers: { origin: 'http://aaa.example.com' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('http://aaa.example.com');
    });
  });

  it('a DP given a regex it cannot run in linear time (the CP bypassed) refuses that config, naming the route and why', async () => {
    const dir = tempDir('gatehouse-redos-refused-');
    const svc = service({ name: 'echo', port: echo.port });
    const ok = route({ service: svc, name: 'ok', paths: ['/ok'] });
    // The CP would refuse this path: the stored route is written into the cache directly.
    const backref = { ...route({ service: svc, name: 'backref', paths: ['/placeholder'] }), paths: ['~/x/(a+)+\\1'] };
    writeConfigCache(dir, gateway({ services: [svc], routes: [ok, backref] }), 1);
    const dp = await startDp(dir, makeCertificate(dir, 'dp'));
    running.push(dp.proc);
    const rejected = await dp.proc.waitForEvent('config_cache_rejected', 1000);
    expect(String(rejected.error)).toMatch(new RegExp(`route ${backref.id}.*backreference`));
    // It serves no route of that config (it is not ready), and stays responsive.
    expect((await request(`http://127.0.0.1:${dp.status}/status/ready`)).status).not.toBe(200);
    const { ms } = await timed(() => request(`http://127.0.0.1:${dp.proxy}/x/${EVIL}!`));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  describe('the CP refuses, naming the field, a regex neither engine can run safely', () => {
    let cp: LoggedInControlPlane;
    let api: Client;
    const RG = '/v1/runtime-groups/default';

    beforeAll(async () => {
      cp = await startLoggedInControlPlane();
      ({ api } = cp);
    });
    afterAll(async () => {
      await cp.stop();
    });

    it('a route path', async () => {
      const res = await api.post(`${RG}/routes`, { name: 'backref', paths: ['/fine', '~/x/(a)\\1'] });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)['paths[1]']).toMatch(/backreference.*linear time/);
      const look = await api.post(`${RG}/routes`, { name: 'look', paths: ['~/x/a(?=b)'] });
      expect(look.status).toBe(400);
      expect(fieldsOf(look)['paths[0]']).toMatch(/lookahead/);
      // Nested repetition alone is safe: the DP's linear fallback runs it (tests above).
      expect((await api.post(`${RG}/routes`, { name: 'nested', paths: ['~/redos/(a+)+$'] })).status).toBe(201);
    });

    it('a ~* header value', async () => {
      const res = await api.post(`${RG}/routes`, { name: 'hdr', headers: { 'x-foo': ['~*(a)\\1'] } });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)['headers.x-foo[0]']).toMatch(/backreference/);
      expect((await api.post(`${RG}/routes`, { name: 'hdr-ok', headers: { 'x-foo': ['~*^(a+)+$'] } })).status).toBe(201);
    });

    it('a cors origin', async () => {
      const res = await api.post(`${RG}/plugins`, { name: 'cors', config: { origins: ['https://app.example.com', '(a)\\1\\.example\\.com'] } });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)['config.origins[1]']).toMatch(/backreference/);
    });
  });
});
