import { analyticsReport } from '@gatehouse/protocol';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { freePort } from '../support/processes';
import { exchange, startTaggedServer } from '../support/streams';
import { expectShape } from '../api/expect-shape';
import { runLaunchScript, waitFor, type ScriptedDataPlane } from '../e2e/support';

const RG = '/v1/runtime-groups/default';

/**
 * Stream traffic end to end with real CP and DP processes (the DP with two
 * proxy workers): a tcp route configured through the API carries sessions
 * on GATEHOUSE_STREAM_LISTEN, and the route's analytics count them as
 * connections with their bytes.
 */
describe('stream sessions in analytics', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let dp: ScriptedDataPlane;
  let upstream: Awaited<ReturnType<typeof startTaggedServer>>;
  let streamPort: number;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api } = cp);
    upstream = await startTaggedServer('T');
    streamPort = await freePort();
    await api.ok('POST', `${RG}/services`, { name: 'tcp-upstream', protocol: 'tcp', host: '127.0.0.1', port: upstream.port });
    await api.ok('POST', `${RG}/services/tcp-upstream/routes`, { name: 'tcp-in', protocols: ['tcp'], destinations: [{ port: streamPort }] });
    const script = (await api.post(`${RG}/launch-script`, { kind: 'shell' })).text;
    dp = await runLaunchScript(script, {
      env: { GATEHOUSE_STREAM_LISTEN: `127.0.0.1:${streamPort}`, GATEHOUSE_WORKERS: '2', GATEHOUSE_STATS_FLUSH_INTERVAL_MS: '200' },
    });
  });
  afterAll(async () => {
    await dp?.stop();
    await cp?.stop();
    upstream?.close();
  });

  it('counts each session once with the bytes it carried each way', async () => {
    // Until the DP serves the route, a connection is closed unanswered (and counted without a route).
    let probes = 0;
    await waitFor('the DP to serve the tcp route', async () => {
      const { reply } = await exchange(streamPort, 'probe');
      if (reply === 'T:probe') probes++;
      return reply === 'T:probe';
    });
    for (let i = 0; i < 4; i++) expect((await exchange(streamPort, 'ten bytes!')).reply).toBe('T:ten bytes!');
    const sessions = probes + 4;
    const received = probes * 'probe'.length + 4 * 10;
    const sent = probes * 'T:probe'.length + 4 * 12;
    const report = await waitFor('the sessions in the route analytics', async () => {
      const r = await api.ok('GET', `${RG}/routes/tcp-in/analytics`);
      return r.total === sessions ? r : undefined;
    });
    expectShape(analyticsReport, report);
    expect(report).toMatchObject({ total: sessions, by_status_code: { '200': sessions }, bytes_in: received, bytes_out: sent });
    expect(report.latency_ms.p50).toBeGreaterThan(0);
  });
});
