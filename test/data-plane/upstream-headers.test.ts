import type { EchoReply } from '../../packages/echo/src';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { DP_VERSION } from '../../packages/data-plane/src/version';
import { rawExchange } from '../fuzz/raw-http';
import { gateway, plugin, route, service } from '../support/config-builder';
import { applyConfig, startEcho, startTestDataPlane } from './support';

/** One response read from a raw socket: status, every header line in order, and the echo's JSON when there is one. */
interface Exchange {
  status: number;
  /** Every value of a response header (name case-insensitive), one per line. */
  header(name: string): string[];
  /** What the echo upstream received, or null for an answer the gateway gave itself. */
  echo: EchoReply | null;
}

/** Every value of a request header the echo upstream received, one per line as it arrived. */
function upstreamLines(echo: EchoReply | null, name: string): string[] {
  const raw = echo?.rawHeaders ?? [];
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]?.toLowerCase() === name) out.push(raw[i + 1] ?? '');
  return out;
}

/**
 * Sends one request exactly as written (Node's client would fold repeated
 * headers and clean the path) and reads the answer.
 */
async function send(port: number, requestLine: string, headers: string[] = [], body = ''): Promise<Exchange> {
  const length = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  const host = headers.some((h) => h.toLowerCase().startsWith('host:')) ? [] : ['Host: headers.test'];
  const text = [requestLine, ...host, ...headers, ...length, 'Connection: close', '', body].join('\r\n');
  const reply = await rawExchange(port, [text]);
  const end = reply.text.indexOf('\r\n\r\n');
  const head = reply.text.slice(0, end).split('\r\n').slice(1);
  const payload = reply.text.slice(end + 4);
  const lines = head.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const);
  let echo: EchoReply | null = null;
  try {
    const parsed = JSON.parse(payload) as Partial<EchoReply>;
    if (Array.isArray(parsed.rawHeaders)) echo = parsed as EchoReply;
  } catch {
    echo = null;
  }
  return { status: reply.status, header: (name) => lines.filter(([n]) => n === name).map(([, v]) => v), echo };
}

const TOKEN = `gatehouse/${DP_VERSION}`;

describe('proxy: the request path as Kong normalizes it (docs/PROXY.md, Upstream headers)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane();
    const svc = service({ name: 'echo', port: echo.port });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [
          route({ service: svc, name: 'foo-bar', paths: ['/foo/bar'], strip_path: false }),
          route({ service: svc, name: 'stripped', paths: ['/fwd'] }),
          route({ service: svc, name: 'root', paths: ['/'], hosts: ['root.test'] }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    await echo.close();
  });

  it.each([['/foo//bar'], ['//foo/bar'], ['/foo/./bar'], ['/foo/a/../bar'], ['/foo/%62ar'], ['/foo/a/%2E%2E/bar'], ['/foo/bar/x/..']])(
    '%s reaches the /foo/bar route, which gets the normalized path and the raw one in X-Forwarded-Path',
    async (path) => {
      const res = await send(dp.proxyPort, `GET ${path}?q=1 HTTP/1.1`);
      expect(res.status).toBe(200);
      expect(res.echo?.url).toMatch(/^\/foo\/bar\/?\?q=1$/);
      expect(upstreamLines(res.echo, 'x-forwarded-path')).toEqual([path]);
    },
  );

  it('keeps /.. from climbing out of a route: /foo/bar/../baz is /foo/baz, which no route serves', async () => {
    expect((await send(dp.proxyPort, 'GET /foo/bar/../baz HTTP/1.1')).status).toBe(404);
  });

  it('sends what normalization decoded upstream encoded again, reserved escapes untouched', async () => {
    const res = await send(dp.proxyPort, 'GET /foo/bar/a%20b/c%2fd/%7e HTTP/1.1');
    expect(res.status).toBe(200);
    expect(res.echo?.url).toBe('/foo/bar/a%20b/c%2Fd/~');
  });

  it('sends X-Forwarded-Prefix for a stripped prefix, and none (a client one removed) when the prefix is /', async () => {
    const stripped = await send(dp.proxyPort, 'GET /fwd//x/./y HTTP/1.1', ['X-Forwarded-Prefix: /evil']);
    expect(upstreamLines(stripped.echo, 'x-forwarded-prefix')).toEqual(['/fwd']);
    expect(upstreamLines(stripped.echo, 'x-forwarded-path')).toEqual(['/fwd//x/./y']);
    expect(stripped.echo?.url).toBe('/x/y');

    const root = await send(dp.proxyPort, 'GET /some/where HTTP/1.1', ['Host: root.test', 'X-Forwarded-Prefix: /evil']);
    expect(root.status).toBe(200);
    expect(upstreamLines(root.echo, 'x-forwarded-prefix')).toEqual([]);
    expect(upstreamLines(root.echo, 'x-forwarded-path')).toEqual(['/some/where']);
  });
});

describe('proxy: Via, TE and every repeated header line, both ways', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane();
    const svc = service({ name: 'echo', port: echo.port });
    const plain = route({ service: svc, name: 'plain', paths: ['/plain'], strip_path: false });
    const withPlugin = route({ service: svc, name: 'with-plugin', paths: ['/plugin'], strip_path: false });
    const stripped = route({ service: svc, name: 'stripped', paths: ['/up'] });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [plain, withPlugin, stripped],
        plugins: [plugin('correlation-id', { route: { id: withPlugin.id }, config: { header_name: 'X-Correlation', generator: 'uuid' } })],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    await echo.close();
  });

  it("appends this hop to the client's Via upstream, and to the upstream's Via toward the client (Kong >= 3.8)", async () => {
    const res = await send(dp.proxyPort, 'GET /plain HTTP/1.1', ['Via: 1.1 dev']);
    expect(upstreamLines(res.echo, 'via')).toEqual([`1.1 dev, 1.1 ${TOKEN}`]);
    expect(res.header('via')).toEqual([`1.1 ${TOKEN}`]);

    const twoLines = await send(dp.proxyPort, 'GET /plain HTTP/1.1', ['Via: 1.0 a', 'Via: 1.1 b']);
    expect(upstreamLines(twoLines.echo, 'via')).toEqual([`1.0 a, 1.1 b, 1.1 ${TOKEN}`]);

    const upstreamVia = await send(dp.proxyPort, 'GET /up/response-headers?via=1.1%20origin HTTP/1.1');
    expect(upstreamVia.header('via')).toEqual([`1.1 origin, 1.1 ${TOKEN}`]);
  });

  it("writes an HTTP/1.0 client's version in Via as Kong writes the number: 1", async () => {
    const res = await send(dp.proxyPort, 'GET /plain HTTP/1.0');
    expect(res.status).toBe(200);
    expect(upstreamLines(res.echo, 'via')).toEqual([`1 ${TOKEN}`]);
  });

  it('passes TE: trailers on (alone, in a list, or named in Connection) and drops any other TE', async () => {
    const cases: [string[], string[]][] = [
      [['TE: trailers'], ['trailers']],
      [['TE: gzip, Trailers'], ['trailers']],
      // Kong's spec (proxy/03-upstream_headers): trailers kept, the rest dropped.
      [['TE: trailers, deflate;q=0.5'], ['trailers']],
      [['TE: gzip', 'TE: trailers'], ['trailers']],
      [['TE: trailers', 'Connection: TE'], ['trailers']],
      [['TE: gzip'], []],
      [['TE: trailers;q=0.5'], []],
    ];
    for (const [headers, want] of cases) {
      const res = await send(dp.proxyPort, 'GET /plain HTTP/1.1', headers);
      expect({ headers, te: upstreamLines(res.echo, 'te') }).toEqual({ headers, te: want });
    }
  });

  it.each([['/plain'], ['/plugin']])('sends every line of a repeated request header upstream, in order (%s)', async (path) => {
    const res = await send(
      dp.proxyPort,
      `POST ${path} HTTP/1.1`,
      [
        'User-Agent: first/1',
        'User-Agent: second/2',
        'Authorization: Bearer a',
        'Authorization: Bearer b',
        'Referer: https://a.example/',
        'Referer: https://b.example/',
        'Content-Type: text/plain',
        'Content-Type: text/html',
        'Cookie: a=1',
        'Cookie: b=2',
        'X-Multi: one, two',
        'X-Multi: three',
        'X-Forwarded-For: 10.0.0.1',
        'X-Forwarded-For: 10.0.0.2',
      ],
      'body',
    );
    expect(res.status).toBe(200);
    const lines = (name: string): string[] => upstreamLines(res.echo, name);
    expect(lines('user-agent')).toEqual(['first/1', 'second/2']);
    expect(lines('authorization')).toEqual(['Bearer a', 'Bearer b']);
    expect(lines('referer')).toEqual(['https://a.example/', 'https://b.example/']);
    expect(lines('content-type')).toEqual(['text/plain', 'text/html']);
    expect(lines('cookie')).toEqual(['a=1', 'b=2']);
    expect(lines('x-multi')).toEqual(['one, two', 'three']);
    // What the proxy itself sets stays one line: X-Forwarded-For gets this client appended, as Kong.
    expect(lines('x-forwarded-for')).toEqual(['10.0.0.1, 10.0.0.2, 127.0.0.1']);
    expect(res.echo?.body).toBe('body');
    if (path === '/plugin') expect(lines('x-correlation')).toHaveLength(1);
  });

  it('relays every line of a repeated response header to the client', async () => {
    const res = await send(dp.proxyPort, 'GET /up/response-headers?location=/a&location=/b&x-r=1&x-r=2&set-cookie=a%3D1&set-cookie=b%3D2 HTTP/1.1');
    expect(res.status).toBe(200);
    expect(res.header('location')).toEqual(['/a', '/b']);
    expect(res.header('x-r')).toEqual(['1', '2']);
    expect(res.header('set-cookie')).toEqual(['a=1', 'b=2']);
  });

  it("relays every line of an upstream's answer to a WebSocket handshake it declines", async () => {
    const res = await send(dp.proxyPort, 'GET /up/response-headers?www-authenticate=Basic&www-authenticate=Bearer HTTP/1.1', [
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
    ]);
    expect(res.status).toBe(200);
    expect(res.header('www-authenticate')).toEqual(['Basic', 'Bearer']);
    expect(res.header('via')).toEqual([`1.1 ${TOKEN}`]);
  });
});
