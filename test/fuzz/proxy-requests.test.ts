import fc from 'fast-check';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { applyConfig, request, startTestDataPlane } from '../data-plane/support';
import { gateway, plugin, route, service } from '../support/config-builder';
import { rawExchange, startRecordingUpstream } from './raw-http';
import { assertWithSeeds } from './seeds';

const HEADER_TIMEOUT_MS = 1000;
const BODY_TIMEOUT_MS = 1000;

/**
 * Hostile HTTP on the proxy port, from raw sockets: oversize headers and
 * bodies, malformed requests, smuggling attempts, slow clients and random
 * bytes. Each is refused with a 4xx (or the connection closed), nothing of
 * it reaches the upstream, and the DP goes on serving everyone else.
 */
describe('proxy: hostile requests', () => {
  let dp: DataPlane & { dir: string };
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    dp = await startTestDataPlane({
      GATEHOUSE_PROXY_CLIENT_HEADER_TIMEOUT_MS: String(HEADER_TIMEOUT_MS),
      GATEHOUSE_PROXY_CLIENT_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    });
    const svc = service({ name: 'up', host: '127.0.0.1', port: upstream.port });
    const open = route({ service: svc, name: 'open', paths: ['/open'] });
    const limited = route({ service: svc, name: 'limited', paths: ['/limited'] });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [open, limited],
        plugins: [
          plugin('request-size-limiting', {
            route: { id: limited.id },
            config: { allowed_payload_size: 1024, size_unit: 'bytes', require_content_length: false },
          }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    await upstream?.close();
  });

  /** A normal request on a fresh connection still gets through, promptly. */
  async function stillServing(): Promise<void> {
    const started = Date.now();
    const res = await request(`http://127.0.0.1:${dp.proxyPort}/open/ok`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  }

  const get = (path: string, headers = ''): string => `GET ${path} HTTP/1.1\r\nHost: proxy.test\r\n${headers}\r\n`;

  it('answers 431 to oversize headers, and keeps serving', async () => {
    const reply = await rawExchange(dp.proxyPort, [get('/open/big', `X-Big: ${'a'.repeat(20_000)}\r\n`)]);
    expect(reply.status).toBe(431);
    const many = await rawExchange(dp.proxyPort, [get('/open/many', Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join(''))]);
    expect(many.status).toBe(431);
    expect(upstream.seen.some((r) => r.path.startsWith('/big') || r.path.startsWith('/many'))).toBe(false);
    await stillServing();
  });

  it('answers 413 to an oversize body where request-size-limiting applies, by Content-Length and by reading a chunked body', async () => {
    const body = 'x'.repeat(4096);
    const byLength = await rawExchange(dp.proxyPort, [
      `POST /limited/a HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    ]);
    expect(byLength.status).toBe(413);
    expect(byLength.text).toContain('Request size limit exceeded');
    const chunked = await rawExchange(dp.proxyPort, [
      `POST /limited/b HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ]);
    expect(chunked.status).toBe(413);
    const small = await rawExchange(dp.proxyPort, [`POST /limited/c HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`]);
    expect(small.status).toBe(200);
    expect(upstream.seen.filter((r) => r.path === '/a' || r.path === '/b')).toEqual([]);
    await stillServing();
  });

  it('refuses smuggling attempts (conflicting Content-Length and Transfer-Encoding), so no hidden request reaches the upstream', async () => {
    const hidden = 'GET /smuggled HTTP/1.1\r\nHost: proxy.test\r\n\r\n';
    const attempts = [
      // CL.TE and TE.CL: both headers at once.
      `POST /open/s1 HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${hidden}`,
      `POST /open/s2 HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n${hidden}\r\n0\r\n\r\n`,
      // Two different Content-Lengths.
      `POST /open/s3 HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 0\r\nContent-Length: ${hidden.length}\r\n\r\n${hidden}`,
      // Obfuscated Transfer-Encoding values.
      `POST /open/s4 HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: xchunked\r\nContent-Length: 4\r\n\r\n${hidden}`,
      `POST /open/s5 HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${hidden}`,
      `POST /open/s6 HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n${hidden}`,
      `POST /open/s7 HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding:\tchunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${hidden}`,
      // A bare LF and a CR-only line ending inside the headers.
      `POST /open/s8 HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 0\rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${hidden}`,
      `POST /open/s9 HTTP/1.1\r\nHost: proxy.test\r\nFoo: bar\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${hidden}`,
    ];
    for (const attempt of attempts) {
      const reply = await rawExchange(dp.proxyPort, [attempt], { waitMs: 2000 });
      // Refused outright (400/501) or closed; never two answers on one connection.
      expect({ attempt: attempt.slice(0, 80), refused: reply.status >= 400 || reply.status === 0 }).toEqual({ attempt: attempt.slice(0, 80), refused: true });
      expect((reply.text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length).toBeLessThanOrEqual(1);
    }
    expect(upstream.seen.filter((r) => r.path.includes('smuggled'))).toEqual([]);
    await stillServing();
  });

  it('answers malformed requests with 400 (or closes), and keeps serving', async () => {
    const malformed = [
      'GET /open/x HTTP/1.1\r\n\r\n', // no Host
      'G@T /open/x HTTP/1.1\r\nHost: a\r\n\r\n',
      'GET /open/x HTTP/9.9\r\nHost: a\r\n\r\n',
      'GET /open/x HTTP/1.1\r\nHost: a\r\nNo-Colon-Here\r\n\r\n',
      'GET /open/x HTTP/1.1\r\nHost: a\r\nX-Nul: a\u0000b\r\n\r\n',
      'GET /open/\u0000x HTTP/1.1\r\nHost: a\r\n\r\n',
      'POST /open/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
      'POST /open/x HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n',
      'POST /open/x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n',
      `GET /open/${'a'.repeat(70_000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
      '\r\n\r\n\r\n',
      '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003', // a TLS ClientHello on the plain port
    ];
    for (const raw of malformed) {
      const reply = await rawExchange(dp.proxyPort, [Buffer.from(raw, 'latin1')], { waitMs: 2000 });
      expect({ raw: raw.slice(0, 60), ok: (reply.status >= 400 && reply.status < 500) || (reply.status === 0 && reply.closedByServer) }).toEqual({
        raw: raw.slice(0, 60),
        ok: true,
      });
    }
    await stillServing();
  });

  it('answers 408 to a client that sends its headers too slowly (slowloris), and serves others meanwhile', async () => {
    const slow = rawExchange(
      dp.proxyPort,
      ['GET /open/slow HTTP/1.1\r\n', 'Host: a\r\n', 'X-1: a\r\n', 'X-2: a\r\n', 'X-3: a\r\n', 'X-4: a\r\n', 'X-5: a\r\n', 'X-6: a\r\n'],
      { gapMs: 400, waitMs: HEADER_TIMEOUT_MS * 8 },
    );
    await stillServing();
    const reply = await slow;
    expect(reply.closedByServer).toBe(true);
    expect([408, 0]).toContain(reply.status);
    expect(reply.elapsedMs).toBeLessThan(HEADER_TIMEOUT_MS * 5);
    expect(upstream.seen.some((r) => r.path === '/slow')).toBe(false);
  });

  it('gives up on a client that stops sending its body, on plain and on body-reading routes', async () => {
    for (const path of ['/open/stalled', '/limited/stalled']) {
      const reply = await rawExchange(dp.proxyPort, [`POST ${path} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n`], {
        waitMs: BODY_TIMEOUT_MS * 8,
      });
      expect({ path, closed: reply.closedByServer }).toEqual({ path, closed: true });
      expect(reply.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS * 5);
      if (reply.status !== 0) expect([408, 502, 504]).toContain(reply.status);
    }
    await stillServing();
  });

  it('survives random bytes and mutated requests: every answer is a 4xx or a normal proxied answer', async () => {
    const base = `POST /open/fuzz HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`;
    const mutated = fc
      .tuple(fc.nat({ max: base.length - 1 }), fc.string({ unit: 'binary-ascii', maxLength: 8 }), fc.nat({ max: 6 }))
      .map(([at, insert, cut]) => base.slice(0, at) + insert + base.slice(at + cut));
    const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1'));
    await assertWithSeeds(
      () =>
        fc.asyncProperty(fc.oneof(mutated, bytes), async (raw) => {
          const reply = await rawExchange(dp.proxyPort, [Buffer.from(raw, 'latin1')], { waitMs: 500 });
          if (reply.status >= 500 && reply.status !== 502 && reply.status !== 504) throw new Error(`answered ${reply.status} to ${JSON.stringify(raw)}`);
        }),
      60,
    );
    await stillServing();
  });
});
