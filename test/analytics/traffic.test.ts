import { analyticsReport } from '@gatehouse/protocol';
import { client, login, request, type Client } from '../support/api';
import { startLoggedInControlPlane } from '../support/control-plane';
import { startControlPlane, type TestControlPlane } from '../support/processes';
import { expectShape } from '../api/expect-shape';
import { implementExample, runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';

/**
 * Issue 4's acceptance, with real CP, DP and echo processes: exact status-code
 * counts on the version's analytics, nothing lost while the CP is down, and
 * batches a killed DP left on disk delivered after it restarts.
 */
describe('traffic analytics end to end', () => {
  let databaseUrl: string;
  let cp: TestControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: ScriptedDataPlane;
  let script: string;
  let versionPath: string;
  const dpEnv = { GATEHOUSE_STATS_FLUSH_INTERVAL_MS: '200' };

  async function send(path: string, n: number, expected: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await request(`${dp.proxyUrl}${path}`);
      expect(res.status).toBe(expected);
    }
  }

  async function versionCounts(): Promise<Record<string, number>> {
    const report = await api.ok('GET', `${versionPath}/analytics`);
    return report.by_status_code as Record<string, number>;
  }

  beforeAll(async () => {
    const started = await startLoggedInControlPlane();
    ({ api, databaseUrl } = started);
    cp = started;
    echo = await startEcho();
    await implementExample(api, echo.url);
    const hub = await api.ok('GET', '/v1/service-hub/services/example_service');
    versionPath = `/v1/service-hub/services/${hub.id}/versions/v1`;
    await api.ok('POST', `${versionPath}/routes`, { name: 'failing', methods: ['GET'], paths: ['/status/503'], strip_path: false });
    script = (await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' })).text;
    dp = await runLaunchScript(script, { env: dpEnv });
    await waitFor('the DP to serve /status/503', async () => (await request(`${dp.proxyUrl}/status/503`)).status === 503);
    await waitFor('the probe to be counted', async () => (await versionCounts())['503'] === 1);
  });

  afterAll(async () => {
    await dp?.stop();
    await cp?.stop();
    await echo?.stop();
  });

  it('shows exactly the 200s and 503s sent through the proxy on the version', async () => {
    await send('/mock', 30, 200);
    await send('/status/503', 7, 503);
    const counts = await waitFor('30 × 200 and 8 × 503', async () => {
      const c = await versionCounts();
      return c['200'] === 30 && c['503'] === 8 ? c : undefined;
    });
    expect(counts).toEqual({ '200': 30, '503': 8 });
    const report = await api.ok('GET', `${versionPath}/analytics`);
    expectShape(analyticsReport, report);
    expect(report.total).toBe(38);
    expect(report.latency_ms.p50).toBeGreaterThan(0);
    expect(report.latency_ms.p99).toBeGreaterThanOrEqual(report.latency_ms.p50);
    const group = await api.ok('GET', '/v1/runtime-groups/default/analytics?route=mockbin');
    expectShape(analyticsReport, group);
    expect(group.by_status_code).toEqual({ '200': 30 });
    const metrics = await request(`${dp.statusUrl}/metrics`);
    expect(metrics.text).toContain('gatehouse_http_requests_total{service="example_gateway_service",route="mockbin",code="200"} 30');
    expect(metrics.text).toContain('gatehouse_request_latency_ms_bucket{service="example_gateway_service",route="failing",le="+Inf"} 8');
  });

  it('loses nothing while the CP is down, and counts it once when it is back', async () => {
    await cp.stop();
    await send('/mock', 5, 200);
    // Let the DP write these counts to its spool, then kill it before it can deliver them.
    await new Promise((r) => setTimeout(r, 600));
    await dp.kill();
    dp = await runLaunchScript(script, { dpDir: dp.dpDir, env: dpEnv });
    await send('/mock', 2, 200);
    cp = await startControlPlane({ databaseUrl, dataDir: cp.dataDir, adminPort: cp.adminPort, clusterPort: cp.clusterPort });
    api = client(cp.url, await login(cp.url));
    const counts = await waitFor(
      '37 × 200 after the CP returns',
      async () => {
        const c = await versionCounts();
        return c['200'] === 37 ? c : undefined;
      },
      30_000,
    );
    expect(counts['503']).toBe(8);
    // Nothing arrives twice: still 37 a moment later.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await versionCounts())['200']).toBe(37);
  });

  it('refuses a bad window naming the field', async () => {
    const res = await api.get(`${versionPath}/analytics?since=yesterday`);
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty('since');
    const backwards = await api.get(`${versionPath}/analytics?since=2030-01-01T00:00:00Z&until=2029-01-01T00:00:00Z`);
    expect(backwards.status).toBe(400);
  });
});
