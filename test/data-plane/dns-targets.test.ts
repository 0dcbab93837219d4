import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { applyConfig, startTestDataPlane } from './support';
import { gateway, route, service, target, upstream } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';

const NAME = 'app.gatehouse.test';
const NEVER = 'nowhere.gatehouse.test';

/** A tiny authoritative DNS server (dns2, UDP): A records with a 1 s TTL from `records`, NXDOMAIN for any other name. */
async function startDns(records: Map<string, string[]>): Promise<{ port: number; queries: number; close(): Promise<void> }> {
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      state.queries++;
      const response = dns2.Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const addresses = question === undefined ? undefined : records.get(question.name.toLowerCase());
      if (addresses === undefined) response.header.rcode = dns2.Packet.RCODE.NXDOMAIN;
      else if (question?.type === dns2.Packet.TYPE.A)
        for (const address of addresses)
          response.answers.push(new dns2.Packet.Resource({ name: question.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 1, address }));
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  const state = { port: addresses.udp?.port ?? 0, queries: 0, close };
  return state;
}

/** An upstream on `address:port` that answers which address it is and the Host it got. */
async function startBackend(address: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ at: address, host: req.headers.host })),
  );
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, address, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Hostname targets end to end: a real DP asking a real DNS server (started
 * here on 127.0.0.1, GATEHOUSE_DNS_RESOLVER) for a made-up name whose A
 * records (TTL 1 s) point at upstreams on 127.0.0.1 and 127.0.0.2.
 */
describe('proxy: hostname targets resolved with the DNS TTL', () => {
  const records = new Map<string, string[]>([[NAME, ['127.0.0.1']]]);
  let dnsServer: Awaited<ReturnType<typeof startDns>>;
  let dp: DataPlane;
  let base: string;
  const backends: { close(): Promise<void> }[] = [];
  let port = 0;

  beforeAll(async () => {
    dnsServer = await startDns(records);
    const a = await startBackend('127.0.0.1', 0);
    port = a.port;
    backends.push(a, await startBackend('127.0.0.2', port));
    dp = await startTestDataPlane({ GATEHOUSE_DNS_RESOLVER: `127.0.0.1:${dnsServer.port}` });
    base = `http://127.0.0.1:${dp.proxyPort}`;
    const up = upstream({ name: 'named.test' });
    const lost = upstream({ name: 'lost.test' });
    const svc = service({ name: 'named', host: 'named.test', port: 80 });
    const lostSvc = service({ name: 'lost', host: 'lost.test', port: 80 });
    applyConfig(
      dp,
      gateway({
        upstreams: [up, lost],
        targets: [target(up, { target: `${NAME}:${port}` }), target(lost, { target: `${NEVER}:${port}` })],
        services: [svc, lostSvc],
        routes: [route({ service: svc, paths: ['/named'] }), route({ service: lostSvc, paths: ['/lost'] })],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    await dnsServer.close();
    for (const b of backends) await b.close();
  });

  const healthOf = (upstreamName: string): string | undefined => dp.health?.report().find((u) => u.name === upstreamName)?.targets[0]?.health;

  async function send(n: number): Promise<{ at: string; host: string }[]> {
    const out: { at: string; host: string }[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${base}/named`);
      expect(res.status).toBe(200);
      out.push((await res.json()) as { at: string; host: string });
    }
    return out;
  }

  it('sends to the address of the answer, with the hostname as Host; a changed answer moves the traffic after the TTL', async () => {
    await waitFor('the name to resolve', () => healthOf('named.test') === 'HEALTHCHECKS_OFF');
    const first = await send(10);
    expect(new Set(first.map((r) => r.at))).toEqual(new Set(['127.0.0.1']));
    expect(first[0]?.host).toBe(`${NAME}:${port}`);

    records.set(NAME, ['127.0.0.2']);
    const changedAt = Date.now();
    await waitFor('traffic to move to 127.0.0.2', async () => (await send(1))[0]?.at === '127.0.0.2', 5000);
    expect(Date.now() - changedAt).toBeLessThan(5000);
    expect(new Set((await send(10)).map((r) => r.at))).toEqual(new Set(['127.0.0.2']));

    // Every address of the answer is an entry of the balancer (each with the target's weight).
    records.set(NAME, ['127.0.0.1', '127.0.0.2']);
    await waitFor('both addresses to take traffic', async () => new Set((await send(10)).map((r) => r.at)).size === 2, 5000);
    const report = dp.health?.report().find((u) => u.name === 'named.test');
    expect(report?.targets).toEqual([
      {
        target: `${NAME}:${port}`,
        weight: 100,
        health: 'HEALTHCHECKS_OFF',
        addresses: expect.arrayContaining([
          { ip: '127.0.0.1', port, health: 'HEALTHCHECKS_OFF', weight: 100 },
          { ip: '127.0.0.2', port, health: 'HEALTHCHECKS_OFF', weight: 100 },
        ]) as unknown,
      },
    ]);
    expect(report?.targets[0]?.addresses).toHaveLength(2);
  });

  it("a name that never resolved is DNS_ERROR and its service gets Kong's 503", async () => {
    expect(healthOf('lost.test')).toBe('DNS_ERROR');
    const res = await fetch(`${base}/lost`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toBe('failure to get a peer from the ring-balancer');
  });

  it('with the DNS server gone, the last good answer keeps serving', async () => {
    const queries = dnsServer.queries;
    await dnsServer.close();
    await new Promise((r) => setTimeout(r, 3000)); // TTL 1 s: re-resolution failed at least once meanwhile
    expect(dnsServer.queries).toBe(queries);
    const after = await send(20);
    expect(new Set(after.map((r) => r.at))).toEqual(new Set(['127.0.0.1', '127.0.0.2']));
    expect(healthOf('named.test')).toBe('HEALTHCHECKS_OFF');
  });
});

/**
 * SRV records (Kong's dns_order tries SRV before A): a hostname target whose
 * name has SRV records is balanced over the addresses its best-priority
 * records lead to, each with the record's port and weight; `use_srv_name`
 * sends the record's target name as Host.
 */
describe('proxy: hostname targets with SRV records', () => {
  const SRV_NAME = 'svc.gatehouse.test';
  let dp: DataPlane;
  let base: string;
  let server: ReturnType<typeof dns2.createServer>;
  const backends: { port: number; close(): Promise<void> }[] = [];

  beforeAll(async () => {
    backends.push(await startBackend('127.0.0.1', 0), await startBackend('127.0.0.1', 0), await startBackend('127.0.0.1', 0));
    const [heavy, light, backup] = backends.map((b) => b.port) as [number, number, number];
    const srv = [
      { priority: 10, weight: 3, port: heavy, target: 'a.gatehouse.test' },
      { priority: 10, weight: 1, port: light, target: 'b.gatehouse.test' },
      // A worse priority: never used while the others are there.
      { priority: 20, weight: 100, port: backup, target: 'a.gatehouse.test' },
    ];
    const a = new Set(['a.gatehouse.test', 'b.gatehouse.test']);
    server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = dns2.Packet.createResponseFromRequest(request);
        const q = request.questions[0];
        const name = q?.name.toLowerCase() ?? '';
        const { IN } = dns2.Packet.CLASS;
        if (name === SRV_NAME && q?.type === dns2.Packet.TYPE.SRV)
          for (const r of srv) response.answers.push(new dns2.Packet.Resource({ name: q.name, type: dns2.Packet.TYPE.SRV, class: IN, ttl: 1, ...r }));
        else if (a.has(name) && q?.type === dns2.Packet.TYPE.A)
          response.answers.push(new dns2.Packet.Resource({ name: q.name, type: dns2.Packet.TYPE.A, class: IN, ttl: 1, address: '127.0.0.1' }));
        else if (name !== SRV_NAME && !a.has(name)) response.header.rcode = dns2.Packet.RCODE.NXDOMAIN;
        void send(response);
      },
    });
    const listening = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    dp = await startTestDataPlane({ GATEHOUSE_DNS_RESOLVER: `127.0.0.1:${listening.udp?.port ?? 0}` });
    base = `http://127.0.0.1:${dp.proxyPort}`;
  });
  afterAll(async () => {
    await dp.stop();
    await server.close();
    for (const b of backends) await b.close();
  });

  function balanced(useSrvName: boolean, version: number): void {
    const up = upstream({ name: 'srv.pool', use_srv_name: useSrvName });
    const svc = service({ name: 'srv', host: 'srv.pool', port: 80 });
    applyConfig(
      dp,
      gateway({ upstreams: [up], targets: [target(up, { target: `${SRV_NAME}:8000` })], services: [svc], routes: [route({ service: svc, paths: ['/srv'] })] }),
      version,
    );
  }
  const report = () => dp.health?.report().find((u) => u.name === 'srv.pool')?.targets[0];

  it("uses the best-priority records' ports and weights (the target's port ignored), the target name as Host; use_srv_name sends the record's name", async () => {
    const [heavy, light] = backends.map((b) => b.port) as [number, number];
    balanced(false, 1);
    await waitFor('the SRV name to resolve', () => (report()?.addresses?.length ?? 0) === 2);
    expect(report()?.addresses).toEqual(
      expect.arrayContaining([
        { ip: '127.0.0.1', port: heavy, health: 'HEALTHCHECKS_OFF', weight: 3 },
        { ip: '127.0.0.1', port: light, health: 'HEALTHCHECKS_OFF', weight: 1 },
      ]),
    );
    const answers: { host: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/srv`);
      expect(res.status).toBe(200);
      answers.push((await res.json()) as { host: string });
    }
    // Whole turns of a 3:1 wheel.
    expect(answers.filter((r) => r.host === `${SRV_NAME}:${heavy}`)).toHaveLength(30);
    expect(answers.filter((r) => r.host === `${SRV_NAME}:${light}`)).toHaveLength(10);

    balanced(true, 2);
    await waitFor('the SRV name to resolve again', () => (report()?.addresses?.length ?? 0) === 2);
    const hosts = new Set<string>();
    for (let i = 0; i < 8; i++) hosts.add(((await (await fetch(`${base}/srv`)).json()) as { host: string }).host);
    expect(hosts).toEqual(new Set([`a.gatehouse.test:${heavy}`, `b.gatehouse.test:${light}`]));
  });
});
