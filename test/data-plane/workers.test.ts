import { configHash } from '../../packages/protocol/src/node';
import { tempDir, type TestProcess } from '../support/processes';
import { makeCertificate, request, startBuiltDataPlane, startEcho, writeConfigCache, spooledCount, type BuiltDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';

/** The pids of the proxy workers: every process that logged a config apply, but the primary. */
function workerPids(proc: TestProcess): number[] {
  const pids = new Set<number>();
  for (const line of proc.lines) {
    if (!line.includes('"config_applied"')) continue;
    const pid = (JSON.parse(line) as { pid: number }).pid;
    if (pid !== proc.child.pid) pids.add(pid);
  }
  return [...pids];
}

describe('data plane with proxy workers (GATEHOUSE_WORKERS=2, built dist/main.js)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let certs: { cert: string; key: string };
  let config: ReturnType<typeof gateway>;
  const running: TestProcess[] = [];

  async function startDp(dir: string): Promise<BuiltDataPlane> {
    writeConfigCache(dir, config, 7);
    const dp = await startBuiltDataPlane(dir, certs, { GATEHOUSE_WORKERS: '2' }, 30_000);
    running.push(dp.proc);
    return dp;
  }

  beforeAll(async () => {
    echo = await startEcho();
    certs = makeCertificate(tempDir('gatehouse-dp-workers-pem-'), 'dp');
    const svc = service({ name: 'example_service', port: echo.port });
    config = gateway({ services: [svc], routes: [route({ service: svc, name: 'mockbin', methods: ['GET'], paths: ['/mock'] })] });
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await echo.close();
  });

  it('proxies on one port from two workers, and counts every request exactly once', async () => {
    const dir = tempDir('gatehouse-dp-workers-');
    const { proc, proxy, status, ready } = await startDp(dir);
    expect(ready).toMatchObject({ workers: 2, proxy_port: proxy, config_hash: configHash(config) });
    expect(workerPids(proc)).toHaveLength(2);
    // Each request on a new connection, so both workers take some (node:cluster hands connections round-robin).
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(`http://127.0.0.1:${proxy}/mock/x`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers[0]?.json.path).toBe('/x');
    expect((await request(`http://127.0.0.1:${status}/status`)).json).toMatchObject({ configuration_hash: configHash(config), config_version: 7 });
    await proc.stop();
    expect(proc.child.exitCode).toBe(0);
    // Workers hand their counts to the primary, which spools them on stop: 20 requests, counted once.
    expect(spooledCount(dir)).toBe(20);
  });

  it('replaces a worker that dies; the new one applies the config, and the DP keeps answering', async () => {
    const { proc, proxy } = await startDp(tempDir('gatehouse-dp-workers-'));
    const before = workerPids(proc);
    process.kill(before[0]!, 'SIGKILL');
    await proc.waitForEvent('worker_exited', 10_000);
    await proc.waitForEvent('config_applied', 20_000, (e) => e.pid !== proc.child.pid && !before.includes(e.pid as number));
    const answers = await Promise.all(Array.from({ length: 10 }, () => request(`http://127.0.0.1:${proxy}/mock`)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    await proc.stop();
  });
});
