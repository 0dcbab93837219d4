import dns2 from 'dns2';
import { request } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from './support';

const RG = '/v1/runtime-groups/default';
/** The names the test's DNS server knows: the echo listens on 127.0.0.1 only, so pair's second address is dead. */
const RECORDS: Record<string, string[]> = { 'echo.gatehouse.test': ['127.0.0.1'], 'pair.gatehouse.test': ['127.0.0.1', '127.0.0.2'] };

interface AddressView {
  ip: string;
  port: number;
  health: string;
  weight: number;
}
interface HealthEntry {
  target: string;
  health: string;
  data: { addresses: AddressView[]; nodes: { health: string; addresses: AddressView[] }[] };
}

/**
 * A hostname target through the whole cluster: a CP, a DP from the launch
 * script asking a DNS server started here (GATEHOUSE_DNS_RESOLVER), which
 * knows one made-up name and answers NXDOMAIN for another. The CP's
 * `/upstreams/{u}/health` shows the DP's view: the name that never resolved
 * is DNS_ERROR (and its service answers Kong's 503), the other is served.
 * With two proxy workers each resolves for itself. A name with two A
 * records, one of them dead, shows each address with its own health.
 */
describe.each(['1', '2'])('hostname targets with GATEHOUSE_WORKERS=%s: DNS_ERROR in the health API for a name that never resolved', (workers) => {
  let cp: LoggedInControlPlane;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: ScriptedDataPlane | undefined;
  let port = '';
  const dnsServer = dns2.createServer({
    udp: true,
    handle: (req, send) => {
      const res = dns2.Packet.createResponseFromRequest(req);
      const q = req.questions[0];
      const addresses = q === undefined ? undefined : RECORDS[q.name.toLowerCase()];
      if (addresses === undefined) res.header.rcode = dns2.Packet.RCODE.NXDOMAIN;
      else if (q?.type === dns2.Packet.TYPE.A)
        for (const address of addresses)
          res.answers.push(new dns2.Packet.Resource({ name: q.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 1, address }));
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
    port = new URL(echo.url).port;
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

  it('a name of two addresses, one dead: each address with its own health per node and combined; every address unhealthy makes the target UNHEALTHY', async () => {
    const { api } = cp;
    await api.ok('POST', `${RG}/upstreams`, { name: 'pair.pool', healthchecks: { passive: { unhealthy: { tcp_failures: 1 } } } });
    await api.ok('POST', `${RG}/upstreams/pair.pool/targets`, { target: `pair.gatehouse.test:${port}`, weight: 20 });
    const svc = await api.ok<{ id: string }>('POST', `${RG}/services`, { name: 'pair-pool', host: 'pair.pool', port: 80 });
    await api.ok('POST', `${RG}/services/${svc.id}/routes`, { paths: ['/pair'] });
    const entry = async (): Promise<HealthEntry | undefined> => (await api.get<{ data: HealthEntry[] }>(`${RG}/upstreams/pair.pool/health`)).body.data[0];
    const byIp = (list: AddressView[]): AddressView[] => [...list].sort((a, b) => (a.ip < b.ip ? -1 : 1));
    // Retries take every request to the live address; the dead one is ejected at its first refused connection (in every worker).
    await waitFor('the dead address to be UNHEALTHY in the API', async () => {
      expect((await request(`${dp!.proxyUrl}/pair`)).status).toBe(200);
      return (await entry())?.data.addresses.some((a) => a.ip === '127.0.0.2' && a.health === 'UNHEALTHY');
    });
    const seen = (await entry())!;
    const expected = [
      { ip: '127.0.0.1', port: Number(port), health: 'HEALTHY', weight: 20 },
      { ip: '127.0.0.2', port: Number(port), health: 'UNHEALTHY', weight: 20 },
    ];
    expect(seen.health).toBe('HEALTHY');
    expect(byIp(seen.data.addresses)).toEqual(expected);
    expect(seen.data.nodes).toHaveLength(1);
    expect(byIp(seen.data.nodes[0]!.addresses)).toEqual(expected);

    // A manual override takes the target, so both of its addresses, out.
    expect((await api.post(`${RG}/upstreams/pair.pool/targets/pair.gatehouse.test:${port}/unhealthy`)).status).toBe(204);
    await waitFor('the target to be UNHEALTHY', async () => (await entry())?.health === 'UNHEALTHY');
    expect((await entry())!.data.addresses.map((a) => a.health)).toEqual(['UNHEALTHY', 'UNHEALTHY']);
    expect((await request(`${dp!.proxyUrl}/pair`)).status).toBe(503);
  });
});
