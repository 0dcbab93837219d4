import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigBuilder } from '../support/config-builder';
import { freePort, tempDir } from '../support/processes';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

// Log entries are read field by field, as a log consumer would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Entry = Record<string, any>;

/** An HTTP log receiver: every body it gets, parsed, with the request's method and headers. */
async function startReceiver(): Promise<{
  port: number;
  bodies: { method: string; headers: http.IncomingHttpHeaders; json: unknown }[];
  close(): Promise<void>;
}> {
  const bodies: { method: string; headers: http.IncomingHttpHeaders; json: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push({ method: req.method ?? '', headers: req.headers, json: JSON.parse(data) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until<T>(what: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** http-log, file-log, tcp-log, udp-log and syslog through a real DP to real receivers started here. */
describe('logging plugins', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dp: TestDataPlane;
  let hanging: net.Server;
  const held: net.Socket[] = [];
  let tcpServer: net.Server;
  const tcpData: string[] = [];
  let udp: dgram.Socket;
  const udpData: string[] = [];
  let syslog: dgram.Socket;
  const syslogData: string[] = [];
  const logFile = path.join(tempDir('gatehouse-file-log-'), 'access.log');

  beforeAll(async () => {
    echo = await startEcho();
    receiver = await startReceiver();
    // Accepts connections and never answers: a log endpoint that hangs.
    hanging = net.createServer((s) => held.push(s));
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    tcpServer = net.createServer((s) => s.on('data', (d: Buffer) => tcpData.push(d.toString())));
    await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
    udp = dgram.createSocket('udp4');
    udp.on('message', (m) => udpData.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    syslog = dgram.createSocket('udp4');
    syslog.on('message', (m) => syslogData.push(m.toString()));
    await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', r));

    const b = new ConfigBuilder();
    const svc = b.service({ name: 'logged', url: echo.url });
    const route = (name: string) => b.route({ name, service: svc, paths: [`/${name}`] });
    const endpoint = `http://127.0.0.1:${receiver.port}`;
    b.plugin('http-log', { route: route('single'), config: { http_endpoint: `${endpoint}/single`, headers: { 'X-Log-Token': 't1' } } });
    b.plugin('http-log', {
      route: route('batched'),
      config: { http_endpoint: `${endpoint}/batched`, method: 'PUT', queue: { max_batch_size: 3, max_coalescing_delay: 0.5 } },
    });
    b.plugin('http-log', {
      route: route('dead'),
      config: {
        http_endpoint: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`,
        timeout: 60_000,
        queue: { max_entries: 5, max_retry_time: 1 },
      },
    });
    b.plugin('file-log', { route: route('file'), config: { path: logFile } });
    b.plugin('tcp-log', { route: route('tcp'), config: { host: '127.0.0.1', port: (tcpServer.address() as AddressInfo).port } });
    b.plugin('tcp-log', { route: route('tcp-dead'), config: { host: '127.0.0.1', port: await freePort() } });
    b.plugin('udp-log', { route: route('udp'), config: { host: '127.0.0.1', port: udp.address().port } });
    b.plugin('syslog', {
      route: route('syslog'),
      config: { syslog_port: syslog.address().port, facility: 'local3', client_errors_severity: 'warning', log_level: 'info' },
    });
    const errRoute = route('syslog-err');
    b.plugin('syslog', {
      route: errRoute,
      config: { syslog_port: syslog.address().port, facility: 'local3', client_errors_severity: 'warning', log_level: 'info' },
    });
    b.plugin('request-termination', { route: errRoute, config: { status_code: 404 } });
    b.plugin('syslog', {
      route: route('syslog-quiet'),
      config: { syslog_port: syslog.address().port, successful_severity: 'debug', log_level: 'info' },
    });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
    await receiver?.close();
    for (const s of held) s.destroy();
    hanging?.close();
    tcpServer?.close();
    udp?.close();
    syslog?.close();
  });

  it('http-log POSTs one entry per request with Kong fields, authorization redacted', async () => {
    const a = await call(dp.proxy, '/single/x?a=1&b&a=2', { headers: { authorization: 'Bearer secret', 'x-mine': 'v' } });
    expect(a.status).toBe(200);
    const got = await until(() => receiver.bodies.find((b) => (b.json as Entry).request?.uri === '/single/x?a=1&b&a=2'));
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-log-token']).toBe('t1');
    const e = got.json as Entry;
    expect(e.request.method).toBe('GET');
    expect(e.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/single\/x\?a=1&b&a=2$/);
    expect(e.request.querystring).toEqual({ a: ['1', '2'], b: true });
    expect(e.request.headers.authorization).toBe('REDACTED');
    expect(e.request.headers['x-mine']).toBe('v');
    expect(e.response.status).toBe(200);
    expect(e.upstream_status).toBe('200');
    expect(e.upstream_uri).toBe('/x?a=1&b&a=2'); // strip_path took /single off
    expect(e.source).toBe('upstream');
    expect(e.route.name).toBe('single');
    expect(e.service.name).toBe('logged');
    expect(e.client_ip).toBe('127.0.0.1');
    expect(typeof e.started_at).toBe('number');
    expect(Math.abs(e.started_at - Date.now())).toBeLessThan(60_000);
    for (const k of ['kong', 'proxy', 'request', 'receive']) expect(typeof e.latencies[k]).toBe('number');
    expect(e.latencies.proxy).toBeGreaterThanOrEqual(0);
  });

  it('http-log batches: 3 requests arrive as one JSON array, 1 more after the coalescing delay as an array of 1', async () => {
    for (let i = 0; i < 4; i++) expect((await call(dp.proxy, `/batched/${i}`)).status).toBe(200);
    const batches = await until(() => {
      const got = receiver.bodies.filter(
        (b) => b.headers['content-type'] !== undefined && Array.isArray(b.json) && (b.json as Entry[])[0]?.route?.name === 'batched',
      );
      return got.reduce((n, b) => n + (b.json as Entry[]).length, 0) >= 4 ? got : undefined;
    });
    expect(batches.map((b) => b.method)).toEqual(['PUT', 'PUT']);
    expect(batches.map((b) => (b.json as Entry[]).length)).toEqual([3, 1]);
    expect((batches[0]?.json as Entry[]).map((e) => e.request.uri)).toEqual(['/batched/0', '/batched/1', '/batched/2']);
  });

  it('http-log to an endpoint that hangs: requests still answer, entries beyond the queue bound are dropped and counted in a warn log', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call(dp.proxy, `/dead/${i}`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ev = await dp.waitForEvent('log_queue_dropped', 10_000);
    expect(ev.level === 'warn' || ev.level === 40).toBe(true);
    expect(ev.dropped as number).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);
    // Still answering while the endpoint hangs.
    expect((await call(dp.proxy, '/dead/after')).status).toBe(200);
    const metrics = await (await fetch(`${dp.status}/metrics`)).text();
    const dropped = /^gatehouse_log_entries_dropped_total\{plugin="http-log"\} (\d+)$/m.exec(metrics);
    expect(Number(dropped?.[1])).toBeGreaterThan(0);
  });

  it('file-log appends one JSON line per request', async () => {
    await call(dp.proxy, '/file/one');
    await call(dp.proxy, '/file/two');
    const lines = await until(() => {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      const l = text.split('\n').filter((x) => x !== '');
      return l.length >= 2 ? l : undefined;
    });
    expect(lines.map((l) => (JSON.parse(l) as Entry).request.uri)).toEqual(['/file/one', '/file/two']);
  });

  it('tcp-log sends JSON lines to a TCP server', async () => {
    await call(dp.proxy, '/tcp/a');
    await call(dp.proxy, '/tcp/b', { method: 'POST', body: 'hello' });
    const lines = await until(() => {
      const l = tcpData
        .join('')
        .split('\n')
        .filter((x) => x !== '');
      return l.length >= 2 ? l : undefined;
    });
    const entries = lines.map((l) => JSON.parse(l) as Entry);
    expect(entries.map((e) => `${e.request.method} ${e.request.uri}`)).toEqual(['GET /tcp/a', 'POST /tcp/b']);
    expect(entries[1]?.request.size).toBe(5);
  });

  it('tcp-log to a closed port: the request answers, the lost entry is counted in a warn log', async () => {
    expect((await call(dp.proxy, '/tcp-dead/x')).status).toBe(200);
    const ev = await dp.waitForEvent('log_entries_dropped', 10_000, (l) => l.plugin === 'tcp-log');
    expect(ev.dropped).toBe(1);
  });

  it('udp-log sends one JSON datagram per request', async () => {
    await call(dp.proxy, '/udp/z');
    const msg = await until(() => udpData[0]);
    expect((JSON.parse(msg) as Entry).request.uri).toBe('/udp/z');
  });

  it('syslog sends RFC 3164 datagrams with facility and severity in PRI, filtered by log_level', async () => {
    await call(dp.proxy, '/syslog/ok');
    await until(() => syslogData[0]);
    expect((await call(dp.proxy, '/syslog-err/x')).status).toBe(404);
    await until(() => syslogData[1]);
    await call(dp.proxy, '/syslog-quiet/ok');
    const parsed = syslogData.map((msg) => {
      const m = /^<(\d+)>(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\S+) kong: (.*)$/s.exec(msg);
      expect(m).not.toBeNull();
      return { pri: Number(m?.[1]), entry: JSON.parse(m?.[4] ?? '{}') as Entry };
    });
    expect(parsed[0]?.pri).toBe(19 * 8 + 6); // local3, info
    expect(parsed[0]?.entry.request.uri).toBe('/syslog/ok');
    expect(parsed[1]?.pri).toBe(19 * 8 + 4); // local3, warning (client_errors_severity)
    expect(parsed[1]?.entry.response.status).toBe(404);
    expect(parsed[1]?.entry.source).toBe('kong');
    // successful_severity debug is below log_level info: nothing sent.
    await new Promise((r) => setTimeout(r, 300));
    expect(syslogData).toHaveLength(2);
  });
});
