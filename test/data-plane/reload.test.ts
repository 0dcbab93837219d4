import { tempDir, type TestProcess } from '../support/processes';
import { gateway, route, service } from '../support/config-builder';
import { makeCertificate, request, startBuiltDataPlane, startEcho, writeConfigCache, spooledCount } from './support';
import { SteadyLoad } from './steady-load';

/** Pids of the processes that logged `worker_config_served` (proxy workers), oldest first. */
function servingPids(proc: TestProcess): number[] {
  const pids: number[] = [];
  for (const line of proc.lines) {
    if (!line.includes('"worker_config_served"')) continue;
    const pid = (JSON.parse(line) as { pid: number }).pid;
    if (!pids.includes(pid)) pids.push(pid);
  }
  return pids;
}

/**
 * Issue #14 ("Also"): SIGHUP restarts a DP's proxy workers without failing a
 * request — new workers get the config and listen on the shared port before
 * the old ones drain — and every answered request is counted exactly once.
 */
describe('zero-downtime reload of the proxy workers (SIGHUP, built dist/main.js)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let certs: { cert: string; key: string };
  let config: ReturnType<typeof gateway>;
  const running: TestProcess[] = [];

  beforeAll(async () => {
    echo = await startEcho();
    certs = makeCertificate(tempDir('gatehouse-dp-reload-pem-'), 'dp');
    const svc = service({ name: 'example_service', port: echo.port });
    config = gateway({ services: [svc], routes: [route({ service: svc, name: 'mockbin', methods: ['GET'], paths: ['/mock'] })] });
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await echo.close();
  });

  it('fails no request of a steady load (keep-alive and new connections) across a SIGHUP, replaces every worker, and counts every answer once', async () => {
    const dir = tempDir('gatehouse-dp-reload-');
    writeConfigCache(dir, config, 3);
    const { proc, proxy } = await startBuiltDataPlane(dir, certs, { GATEHOUSE_WORKERS: '2' }, 30_000);
    running.push(proc);
    const before = servingPids(proc);
    expect(before).toHaveLength(2);

    // Bounded (6,000 at most), and stopped a moment after the reload: the machine's speed decides how many that is.
    const load = new SteadyLoad(`http://127.0.0.1:${proxy}/mock`, { total: 6000, perSecond: 500, keepAliveClients: 4, newConnectionClients: 4 });
    await new Promise((r) => setTimeout(r, 2000));
    const answeredBeforeReload = load.outcomes.length;
    proc.child.kill('SIGHUP');
    const reloaded = await proc.waitForEvent('reload_done', 120_000);
    const duringReload = load.outcomes.length - answeredBeforeReload;
    await new Promise((r) => setTimeout(r, 1500));
    load.stop();
    await load.done;

    expect(load.failures).toEqual([]);
    const answered = load.answered(200);
    expect(answered).toBe(load.outcomes.length);
    // The reload happened mid-load, with requests answered before, throughout and after it.
    expect(answeredBeforeReload).toBeGreaterThan(0);
    expect(duringReload).toBeGreaterThan(0);
    expect(answered - answeredBeforeReload - duringReload).toBeGreaterThan(0);
    // Every worker was replaced: the retired pids are the old ones, and new ones serve.
    expect([...(reloaded.retired_pids as number[])].sort()).toEqual([...before].sort());
    const after = reloaded.worker_pids as number[];
    expect(after).toHaveLength(2);
    for (const pid of after) expect(before).not.toContain(pid);
    expect(servingPids(proc)).toEqual(expect.arrayContaining(after));
    expect((await request(`http://127.0.0.1:${proxy}/mock`)).status).toBe(200);
    // The retired workers handed their counts over before exiting.
    expect(proc.lines.filter((l) => l.includes('"worker_counts_saved"'))).toHaveLength(2);

    await proc.stop();
    expect(proc.child.exitCode).toBe(0);
    // The loop's answers and one probe: each counted once, in whichever worker (old or new) answered it.
    expect(spooledCount(dir)).toBe(answered + 1);
    console.log(
      `reload under load: ${answered} requests, ${duringReload} answered during the reload (${String(reloaded.duration_ms)} ms), ${load.failures.length} failed`,
    );
  }, 180_000);

  it('in one process (GATEHOUSE_WORKERS=1) a SIGHUP is refused with a clear line and the DP keeps serving', async () => {
    const dir = tempDir('gatehouse-dp-reload-single-');
    writeConfigCache(dir, config, 3);
    const { proc, proxy } = await startBuiltDataPlane(dir, certs, { GATEHOUSE_WORKERS: '1' });
    running.push(proc);
    proc.child.kill('SIGHUP');
    const line = await proc.waitForEvent('reload_unsupported', 10_000);
    expect(String(line.reason)).toContain('GATEHOUSE_WORKERS');
    expect((await request(`http://127.0.0.1:${proxy}/mock`)).status).toBe(200);
    await proc.stop();
    expect(proc.child.exitCode).toBe(0);
    expect(spooledCount(dir)).toBe(1);
  });
});
