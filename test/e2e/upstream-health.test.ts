import { request } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { startNode, type TestProcess } from '../support/processes';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from './support';

const RG = '/v1/runtime-groups/default';

interface HealthAnswer {
  data: {
    target: string;
    weight: number;
    health: string;
    data: { addresses: { ip: string; port: number; health: string }[]; nodes: { node_id: string; health: string }[] };
  }[];
  total: number;
}

/**
 * Target health through the whole cluster: a CP, a DP from the launch
 * script and two echo processes. The DP's active checks see a stopped echo,
 * report it over the cluster link, and the CP's `/upstreams/{u}/health`
 * shows it; Kong's manual overrides go from the API to the DP. With two
 * proxy workers each checks on its own, the primary merges their reports
 * and hands every override to both.
 */
describe.each(['1', '2'])('upstream health with GATEHOUSE_WORKERS=%s: DP checks reported to the CP, manual overrides pushed to the DP', (workers) => {
  let cp: LoggedInControlPlane;
  const echoes: (TestProcess & { url: string })[] = [];
  let dp: ScriptedDataPlane | undefined;
  let restarted: TestProcess | undefined;
  let ports: number[] = [];

  beforeAll(async () => {
    const started = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'e2e_health' }), startEcho(), startEcho()]);
    cp = started[0];
    echoes.push(started[1], started[2]);
    ports = echoes.map((e) => Number(new URL(e.url).port));
  });

  afterAll(async () => {
    await Promise.all([dp?.remove(), restarted?.stop(), cp?.stop(), ...echoes.map((e) => e.stop())]);
  });

  const health = async (upstream: string): Promise<Record<string, string>> => {
    const res = await cp.api.get<HealthAnswer>(`${RG}/upstreams/${upstream}/health`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.data.map((t) => [t.target, t.health]));
  };
  /** Which echo answered (its port), from the Host the echo saw. */
  const answeredBy = async (path: string): Promise<number> => {
    const res = await request(`${dp!.proxyUrl}${path}`);
    expect(res.status).toBe(200);
    return Number(String(res.body.headers.host).split(':')[1]);
  };

  it('shows a stopped target UNHEALTHY and a restarted one HEALTHY; overrides take a target out and bring it back', async () => {
    const { api } = cp;
    // `active.pool`: active checks every 0.2 s. `passive.pool`: passive checks only (no way back but an override).
    await api.ok('POST', `${RG}/upstreams`, {
      name: 'active.pool',
      healthchecks: { active: { healthy: { interval: 0.2, successes: 1 }, unhealthy: { interval: 0.2, tcp_failures: 1 } } },
    });
    await api.ok('POST', `${RG}/upstreams`, { name: 'passive.pool', healthchecks: { passive: { unhealthy: { http_failures: 2 } } } });
    for (const u of ['active.pool', 'passive.pool']) {
      for (const p of ports) await api.ok('POST', `${RG}/upstreams/${u}/targets`, { target: `127.0.0.1:${p}` });
      const svc = await api.ok<{ id: string }>('POST', `${RG}/services`, { name: u.replace('.', '-'), host: u, port: 80 });
      await api.ok('POST', `${RG}/services/${svc.id}/routes`, { paths: [`/${u.split('.')[0]}`] });
    }
    const script = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    dp = await runLaunchScript(script.text, { env: { GATEHOUSE_WORKERS: workers } });
    await waitFor('the balanced routes', async () => (await request(`${dp!.proxyUrl}/passive`)).status === 200);

    const [a, b] = ports.map((p) => `127.0.0.1:${p}`) as [string, string];
    // With no report yet an upstream with checks already reads HEALTHY (Kong's state before any check): wait for the node's own view.
    const reported = async (): Promise<boolean> =>
      (await api.get<HealthAnswer>(`${RG}/upstreams/active.pool/health`)).body.data[0]?.data.nodes.some((n) => n.health === 'HEALTHY') === true;
    await waitFor('the DP to report active.pool', reported);
    const full = await api.get<HealthAnswer>(`${RG}/upstreams/active.pool/health`);
    expect(full.body.total).toBe(2);
    expect(full.body.data[0]).toMatchObject({
      target: a,
      weight: 100,
      health: 'HEALTHY',
      data: { addresses: [{ ip: '127.0.0.1', port: ports[0], health: 'HEALTHY' }] },
    });
    expect(full.body.data[0]?.data.nodes).toEqual([expect.objectContaining({ node_id: dp.nodeId(), health: 'HEALTHY' })]);
    // Passive only, nothing failed yet: HEALTHY; an upstream without checks would say HEALTHCHECKS_OFF.
    expect(await health('passive.pool')).toEqual({ [a]: 'HEALTHY', [b]: 'HEALTHY' });

    // Stop the second echo: the active checks eject it, the CP shows it, and traffic goes to the first only.
    await echoes[1]!.stop();
    await waitFor('the stopped target to show UNHEALTHY', async () => (await health('active.pool'))[b] === 'UNHEALTHY');
    expect((await health('active.pool'))[a]).toBe('HEALTHY');
    for (let i = 0; i < 6; i++) expect(await answeredBy('/active')).toBe(ports[0]);

    // Start it again on the same port: the unhealthy-interval probes bring it back.
    restarted = startNode('packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: b });
    await restarted.waitForEvent('echo_listening', 15_000);
    await waitFor('the restarted target to show HEALTHY', async () => (await health('active.pool'))[b] === 'HEALTHY');
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) seen.add(await answeredBy('/active'));
    expect([...seen].sort()).toEqual([...ports].sort());

    // Kong's manual overrides, pushed to the DP: the first target out of passive.pool, then back.
    expect((await api.post(`${RG}/upstreams/passive.pool/targets/${a}/unhealthy`)).status).toBe(204);
    await waitFor('the override to show', async () => (await health('passive.pool'))[a] === 'UNHEALTHY');
    for (let i = 0; i < 6; i++) expect(await answeredBy('/passive')).toBe(ports[1]);
    expect((await api.post(`${RG}/upstreams/passive.pool/targets/${a}/healthy`)).status).toBe(204);
    await waitFor('the override back to show', async () => (await health('passive.pool'))[a] === 'HEALTHY');
    seen.clear();
    for (let i = 0; i < 6; i++) seen.add(await answeredBy('/passive'));
    expect(seen.size).toBe(2);

    // Unknown upstream or target: Kong's 404s.
    expect((await api.get(`${RG}/upstreams/nope.pool/health`)).status).toBe(404);
    expect((await api.post(`${RG}/upstreams/passive.pool/targets/127.0.0.1:1/healthy`)).status).toBe(404);
  });
});
