import http from 'node:http';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { startNode, type TestProcess } from '../support/processes';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from './support';

const RG = '/v1/runtime-groups/default';
const TCP_FAILURES = 3;

interface HealthAnswer {
  data: { target: string; health: string }[];
}

/** `connections` keep-alive clients sending one GET after another to `url` until `stop()`; answers the statuses and which echo answered each. */
function steadyLoad(url: string, connections: number): { stop(): Promise<{ status: number; host: string }[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const out: { status: number; host: string }[] = [];
  let stopped = false;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.once('end', () => {
          let host = '';
          try {
            host = (JSON.parse(body) as { headers: { host: string } }).headers.host;
          } catch {
            // a gateway answer, not the echo's
          }
          out.push({ status: res.statusCode ?? 0, host });
          resolve();
        });
      });
      req.once('error', () => {
        out.push({ status: 0, host: '' });
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
      return out;
    },
  };
}

/**
 * Issue #16's end-to-end bullet, through the whole cluster: a CP, a DP from
 * the launch script and three echo processes behind an upstream with passive
 * checks (tcp_failures 3) and active checks of unhealthy targets only. One
 * echo is killed (SIGKILL) under load: no request fails (retries), the CP's
 * `/upstreams/{u}/health` shows it UNHEALTHY, ejected by exactly
 * `tcp_failures` counted failures (the DP's `upstream_target_failure` lines);
 * started again on its port, the active checks bring it back and it takes
 * traffic.
 */
describe('a target killed under load, through the cluster', () => {
  let cp: LoggedInControlPlane;
  const echoes: (TestProcess & { url: string })[] = [];
  let dp: ScriptedDataPlane | undefined;
  let restarted: TestProcess | undefined;

  beforeAll(async () => {
    const started = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'e2e_kill' }), startEcho(), startEcho(), startEcho()]);
    cp = started[0];
    echoes.push(started[1], started[2], started[3]);
  });
  afterAll(async () => {
    await Promise.all([dp?.remove(), restarted?.stop(), cp?.stop(), ...echoes.map((e) => e.stop())]);
  });

  it('no request fails, the API shows it UNHEALTHY after tcp_failures failures, and active checks bring it back once restarted', async () => {
    const { api } = cp;
    await api.ok('POST', `${RG}/upstreams`, {
      name: 'kill.pool',
      healthchecks: {
        passive: { unhealthy: { tcp_failures: TCP_FAILURES } },
        active: { http_path: '/', healthy: { successes: 1 }, unhealthy: { interval: 0.2, tcp_failures: 1 } },
      },
    });
    const targets = echoes.map((e) => new URL(e.url).host);
    for (const t of targets) await api.ok('POST', `${RG}/upstreams/kill.pool/targets`, { target: t });
    const svc = await api.ok<{ id: string }>('POST', `${RG}/services`, { name: 'kill-pool', host: 'kill.pool', port: 80 });
    await api.ok('POST', `${RG}/services/${svc.id}/routes`, { paths: ['/kill'] });
    const script = await api.post(`${RG}/launch-script`, { kind: 'shell' });
    dp = await runLaunchScript(script.text, { env: { GATEHOUSE_WORKERS: '1' } });
    const url = `${dp.proxyUrl}/kill`;
    await waitFor('the balanced route', async () => (await fetch(url)).status === 200);
    const health = async (): Promise<Record<string, string>> =>
      Object.fromEntries((await api.get<HealthAnswer>(`${RG}/upstreams/kill.pool/health`)).body.data.map((t) => [t.target, t.health]));
    const dead = targets[1]!;

    const load = steadyLoad(url, 4);
    await new Promise((r) => setTimeout(r, 300));
    await echoes[1]!.kill();
    await waitFor('the killed target to show UNHEALTHY in the API', async () => (await health())[dead] === 'UNHEALTHY');
    await new Promise((r) => setTimeout(r, 500));
    const results = await load.stop();
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r.host === dead).length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(await health()).toEqual({ [targets[0]!]: 'HEALTHY', [dead]: 'UNHEALTHY', [targets[2]!]: 'HEALTHY' });
    const failures = dp.lines
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return null;
        }
      })
      .filter((e) => e?.event === 'upstream_target_failure' && e.target === dead && e.source === 'passive');
    expect(failures.filter((e) => e?.counted === true)).toHaveLength(TCP_FAILURES);

    // Started again on its port: the unhealthy-side probes see it and put it back in rotation.
    restarted = startNode('packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: dead });
    await restarted.waitForEvent('echo_listening', 15_000);
    await waitFor('the restarted target to show HEALTHY', async () => (await health())[dead] === 'HEALTHY');
    const again = await (async () => {
      const seen: string[] = [];
      for (let i = 0; i < 9; i++) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        seen.push(((await res.json()) as { headers: { host: string } }).headers.host);
      }
      return seen;
    })();
    expect(again.filter((h) => h === dead)).toHaveLength(3);
  });
});
