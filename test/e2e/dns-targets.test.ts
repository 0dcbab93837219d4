import dns2 from 'dns2';
import { request } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from './support';

const RG = '/v1/runtime-groups/default';

/**
 * A hostname target through the whole cluster: a CP, a DP from the launch
 * script asking a DNS server started here (GATEHOUSE_DNS_RESOLVER), which
 * knows one made-up name and answers NXDOMAIN for another. The CP's
 * `/upstreams/{u}/health` shows the DP's view: the name that never resolved
 * is DNS_ERROR (and its service answers Kong's 503), the other is served.
 * With two proxy workers each resolves for itself.
 */
describe.each(['1', '2'])('hostname targets with GATEHOUSE_WORKERS=%s: DNS_ERROR in the health API for a name that never resolved', (workers) => {
  let cp: LoggedInControlPlane;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: ScriptedDataPlane | undefined;
  const dnsServer = dns2.createServer({
    udp: true,
    handle: (req, send) => {
      const res = dns2.Packet.createResponseFromRequest(req);
      const q = req.questions[0];
      if (q?.name.toLowerCase() !== 'echo.gatehouse.test') res.header.rcode = dns2.Packet.RCODE.NXDOMAIN;
      else if (q.type === dns2.Packet.TYPE.A)
        res.answers.push(new dns2.Packet.Resource({ name: q.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 1, address: '127.0.0.1' }));
      void send(res);
    },
  });

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'e2e_dns' }), startEcho()]);
  });
  afterAll(async () => {
    await Promise.all([dp?.remove(), cp?.stop(), echo?.stop(), dnsServer.close()]);
  });

  it('reports DNS_ERROR for the unresolvable name and serves the resolved one', async () => {
    const { api } = cp;
    const dns = await dnsServer.listen({ udp: { port: 0, address: '127.0.0.1' } });
    const port = new URL(echo.url).port;
    for (const [name, host] of [
      ['found.pool', 'echo.gatehouse.test'],
      ['lost.pool', 'nowhere.gatehouse.test'],
    ] as const) {
      await api.ok('POST', `${RG}/upstreams`, { name });
      await api.ok('POST', `${RG}/upstreams/${name}/targets`, { target: `${host}:${port}` });
      const svc = await api.ok<{ id: string }>('POST', `${RG}/services`, { name: name.replace('.', '-'), host: name, port: 80 });
      await api.ok('POST', `${RG}/services/${svc.id}/routes`, { paths: [`/${name.split('.')[0]}`] });
    }
    const script = await api.post(`${RG}/launch-script`, { kind: 'shell' });
    dp = await runLaunchScript(script.text, { env: { GATEHOUSE_WORKERS: workers, GATEHOUSE_DNS_RESOLVER: `127.0.0.1:${dns.udp?.port}` } });

    await waitFor('the resolved name to serve', async () => (await request(`${dp!.proxyUrl}/found`)).status === 200);
    const found = await request(`${dp.proxyUrl}/found`);
    expect(found.body.headers.host).toBe(`echo.gatehouse.test:${port}`);
    const health = async (u: string): Promise<string | undefined> =>
      (await api.get<{ data: { target: string; health: string }[] }>(`${RG}/upstreams/${u}/health`)).body.data[0]?.health;
    await waitFor('the DP to report lost.pool', async () => (await health('lost.pool')) === 'DNS_ERROR');
    expect(await health('found.pool')).toBe('HEALTHCHECKS_OFF');
    const lost = await request(`${dp.proxyUrl}/lost`);
    expect(lost.status).toBe(503);
    expect(lost.body.message).toBe('failure to get a peer from the ring-balancer');
  });
});
