import dgram from 'node:dgram';
import os from 'node:os';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

async function until<T>(what: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** statsd through a real DP to a UDP socket bound here: Kong's metric lines after each request. */
describe('statsd plugin', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let udp: dgram.Socket;
  const datagrams: string[] = [];
  const lines = () => datagrams.flatMap((d) => d.split('\n'));

  beforeAll(async () => {
    echo = await startEcho();
    udp = dgram.createSocket('udp4');
    udp.on('message', (m) => datagrams.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const port = udp.address().port;

    const b = new ConfigBuilder();
    const svc = b.service({ name: 'my.api', url: echo.url });
    const plain = b.route({ name: 'plain', service: svc, paths: ['/plain'] });
    b.plugin('statsd', { route: plain, config: { host: '127.0.0.1', port } });
    const alice = b.consumer({ username: 'alice', custom_id: 'cust-1' });
    b.keyAuth(alice, 'alice-key');
    const authed = b.route({ name: 'authed', service: svc, paths: ['/authed'] });
    b.plugin('key-auth', { route: authed });
    b.plugin('statsd', {
      route: authed,
      config: {
        host: '127.0.0.1',
        port,
        prefix: 'gw',
        udp_packet_size: 1000,
        metrics: [
          { name: 'request_per_user', stat_type: 'counter', sample_rate: 0.5, consumer_identifier: 'username' },
          { name: 'status_count_per_user', stat_type: 'counter', sample_rate: 1 },
          { name: 'unique_users', stat_type: 'set', consumer_identifier: 'consumer_id' },
          { name: 'status_count', stat_type: 'counter', sample_rate: 1, service_identifier: 'service_id' },
        ],
      },
    });
    const tagged = b.route({ name: 'tagged', service: svc, paths: ['/tagged'] });
    b.plugin('statsd', {
      route: tagged,
      config: { host: '127.0.0.1', port, tag_style: 'dogstatsd', metrics: [{ name: 'request_count', stat_type: 'counter', sample_rate: 1 }] },
    });
    const filtered = b.route({ name: 'filtered', service: svc, paths: ['/filtered'] });
    b.plugin('statsd', {
      route: filtered,
      config: { host: '127.0.0.1', port, prefix: 'filtered', allow_status_codes: ['400-499'] },
    });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
    udp?.close();
  });

  it("sends Kong's default metrics with Kong's names, service name dots as underscores", async () => {
    expect((await call(dp.proxy, '/plain/x', { method: 'POST', body: 'hello' })).status).toBe(200);
    await until(() => lines().some((l) => l.startsWith('kong.service.my_api.kong_latency:')));
    const got = lines().filter((l) => l.startsWith('kong.'));
    expect(got).toContain('kong.service.my_api.request.count:1|c');
    expect(got).toContain('kong.service.my_api.request.size:5|c');
    expect(got).toContain('kong.service.my_api.status.200:1|c');
    expect(got).toContain('kong.service.my_api.workspace.default.status.200:1|c');
    expect(got.find((l) => l.startsWith('kong.service.my_api.response.size:'))).toMatch(/^kong\.service\.my_api\.response\.size:\d+\|c$/);
    for (const t of ['latency', 'upstream_latency', 'kong_latency'])
      expect(got.find((l) => l.startsWith(`kong.service.my_api.${t}:`))).toMatch(new RegExp(`^kong\\.service\\.my_api\\.${t}:\\d+\\|ms$`));
    // No consumer: no per-user metrics.
    expect(got.some((l) => l.includes('.user.'))).toBe(false);
  });

  it('per-user metrics name the consumer by the chosen identifier; sample rates ride along; lines share datagrams', async () => {
    datagrams.length = 0;
    expect((await call(dp.proxy, '/authed', { headers: { apikey: 'alice-key' } })).status).toBe(200);
    await until(() => lines().some((l) => l.startsWith('gw.service.') && l.includes('.status.200:1|c') && !l.includes('user')));
    const got = lines();
    expect(got).toContain('gw.service.my_api.user.alice.request.count:1|c|@0.5');
    // consumer_identifier_default is custom_id.
    expect(got).toContain('gw.service.my_api.user.cust-1.status.200:1|c');
    expect(got.some((l) => /^gw\.service\.my_api\.user\.uniques:[0-9a-f-]{36}\|s$/.test(l))).toBe(true);
    expect(got.some((l) => /^gw\.service\.[0-9a-f-]{36}\.status\.200:1\|c$/.test(l))).toBe(true);
    // udp_packet_size 1000: all four lines in one datagram.
    expect(datagrams.filter((d) => d.startsWith('gw.'))).toHaveLength(1);
  });

  it('tag_style dogstatsd tags the line instead of naming the service in it', async () => {
    datagrams.length = 0;
    expect((await call(dp.proxy, '/tagged')).status).toBe(200);
    const line = await until(() => lines().find((l) => l.startsWith('kong.request.count')));
    const node = os.hostname().replace(/\./g, '_');
    expect(line).toBe(`kong.request.count:1|c|#service:my.api,route:tagged,workspace:default,node:${node},status:200`);
  });

  it('allow_status_codes: only statuses in the ranges are counted', async () => {
    datagrams.length = 0;
    expect((await call(dp.proxy, '/filtered/status/200')).status).toBe(200);
    expect((await call(dp.proxy, '/filtered/status/404')).status).toBe(404);
    await until(() => lines().some((l) => l.startsWith('filtered.service.my_api.status.404')));
    await new Promise((r) => setTimeout(r, 200));
    expect(lines().some((l) => l.startsWith('filtered.') && l.includes('.status.200'))).toBe(false);
  });
});
