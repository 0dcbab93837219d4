import http from 'node:http';
import pino from 'pino';
import { applyConfig, makeCertificate } from './support';
import { gateway, route, service, target, upstream } from '../support/config-builder';
import { freePort, startNode, tempDir, type TestProcess } from '../support/processes';
import { startDataPlane, type DataPlane } from '../../packages/data-plane/src/data-plane';
import { dpSettingsSchema } from '../../packages/data-plane/src/settings';

/** The passive limit under test: Kong's `healthchecks.passive.unhealthy.tcp_failures`. */
const TCP_FAILURES = 3;

interface Echo {
  proc: TestProcess;
  port: number;
}

/** The echo upstream as its own process (packages/echo), so it can be killed with SIGKILL. */
async function startEchoProcess(): Promise<Echo> {
  const port = await freePort();
  const proc = startNode('packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${port}` });
  await proc.waitForEvent('echo_listening', 15_000);
  return { proc, port };
}

/** A DP in this process whose log lines are kept: the `upstream_target_failure` lines are its record of each failed try. */
async function startLoggedDataPlane(): Promise<{ dp: DataPlane; lines: Record<string, unknown>[] }> {
  const dir = tempDir('gatehouse-dp-');
  const { cert, key } = makeCertificate(dir, 'dp');
  const settings = dpSettingsSchema.parse({
    GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0',
    GATEHOUSE_STATUS_LISTEN: '127.0.0.1:0',
    GATEHOUSE_CLUSTER_CONTROL_PLANE: '127.0.0.1:1',
    GATEHOUSE_CLUSTER_CERT: cert,
    GATEHOUSE_CLUSTER_CERT_KEY: key,
    GATEHOUSE_DP_DIR: dir,
  });
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { dp: await startDataPlane(settings, log), lines };
}

/** `connections` keep-alive clients, each sending one GET after another until `stop()`; answers every status. */
function steadyLoad(url: string, connections: number): { stop(): Promise<number[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const statuses: number[] = [];
  let stopped = false;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.once('end', () => {
          statuses.push(res.statusCode ?? 0);
          resolve();
        });
      });
      req.once('error', () => {
        statuses.push(0);
        resolve();
      });
    });
  const loops = Array.from({ length: connections }, async () => {
    while (!stopped) await one();
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return statuses;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The bound docs/PROXY.md states for a target that dies (SIGKILL) under load
 * with passive checks: the DP tries it `tcp_failures` times — plus at most
 * the tries other requests had already started on it when the last counted
 * failure came — then never again, and retries answer every request. The
 * DP's own record of each failed try (`upstream_target_failure`, one log
 * line per try, as nginx's error log) is what is counted.
 */
describe('proxy: a target killed under load', () => {
  let dp: DataPlane;
  let lines: Record<string, unknown>[];
  let echoes: Echo[] = [];

  beforeAll(async () => {
    ({ dp, lines } = await startLoggedDataPlane());
  });
  afterEach(async () => {
    for (const e of echoes.splice(0)) await e.proc.stop();
  });
  afterAll(async () => {
    await dp.stop();
  });

  async function balancedOverThreeEchoes(version: number): Promise<Echo[]> {
    echoes = [await startEchoProcess(), await startEchoProcess(), await startEchoProcess()];
    const up = upstream({ name: 'pool.test', healthchecks: { passive: { unhealthy: { tcp_failures: TCP_FAILURES, timeouts: TCP_FAILURES } } } });
    const svc = service({ name: 'balanced', host: 'pool.test', port: 80 });
    applyConfig(
      dp,
      gateway({
        upstreams: [up],
        targets: echoes.map((e) => target(up, { target: `127.0.0.1:${e.port}` })),
        services: [svc],
        routes: [route({ service: svc, paths: ['/lb'] })],
      }),
      version,
    );
    return echoes;
  }

  const triesOn = (port: number): Record<string, unknown>[] =>
    lines.filter((l) => l.event === 'upstream_target_failure' && l.target === `127.0.0.1:${port}` && l.source === 'passive');
  const healthOf = (port: number): string | undefined =>
    dp.health
      ?.report()
      .find((u) => u.name === 'pool.test')
      ?.targets.find((t) => t.target === `127.0.0.1:${port}`)?.health;
  const get = (): Promise<number> =>
    new Promise((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${dp.proxyPort}/lb`, { agent: false }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        })
        .once('error', reject);
    });

  it('one request at a time: exactly tcp_failures tries reach the dead target, then none', async () => {
    const [, dead] = (await balancedOverThreeEchoes(1)) as [Echo, Echo, Echo];
    for (let i = 0; i < 30; i++) expect(await get()).toBe(200);
    await dead.proc.kill();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await get());
    expect(statuses).toEqual(Array(60).fill(200));
    expect(triesOn(dead.port)).toHaveLength(TCP_FAILURES);
    expect(triesOn(dead.port).map((l) => l.counted)).toEqual(Array(TCP_FAILURES).fill(true));
    expect(healthOf(dead.port)).toBe('UNHEALTHY');
  });

  it('under steady load on 6 connections: no client request fails, at most tcp_failures + 5 tries reach the dead target, none after it is ejected', async () => {
    const connections = 6;
    const [, dead] = (await balancedOverThreeEchoes(2)) as [Echo, Echo, Echo];
    const load = steadyLoad(`http://127.0.0.1:${dp.proxyPort}/lb`, connections);
    await sleep(300);
    await dead.proc.kill();
    await sleep(700);
    const ejected = triesOn(dead.port).length;
    await sleep(500);
    const statuses = await load.stop();
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(healthOf(dead.port)).toBe('UNHEALTHY');
    const tries = triesOn(dead.port);
    expect(tries.filter((l) => l.counted)).toHaveLength(TCP_FAILURES);
    // Tries other requests had started on it before the last counted failure may still fail after it; no new one.
    expect(tries.length).toBeLessThanOrEqual(TCP_FAILURES + connections - 1);
    expect(tries.length).toBe(ejected);
    for (let i = 0; i < 30; i++) expect(await get()).toBe(200);
    expect(triesOn(dead.port)).toHaveLength(ejected);
  });
});
