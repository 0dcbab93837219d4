import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { rawExchange, startRecordingUpstream } from '../fuzz/raw-http';
import { gateway, plugin, route, service } from '../support/config-builder';
import { applyConfig, startTestDataPlane } from './support';

/**
 * RFC 9112 on the proxy's HTTP/1.1 listener, from raw sockets (docs/PROXY.md,
 * HTTP conformance): absolute-form targets route by their authority, a
 * second Host line is refused, an HTTP/2.0 request line is never served, and
 * a client waiting on `Expect: 100-continue` hears 417 without a 100 first
 * when its body is over the limit.
 */
describe('proxy: HTTP/1.1 conformance', () => {
  let dp: DataPlane & { dir: string };
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    dp = await startTestDataPlane();
    const svc = service({ name: 'up', host: '127.0.0.1', port: upstream.port });
    const byHost = route({ service: svc, name: 'by-host', hosts: ['abs.test'], paths: ['/abs'], preserve_host: true });
    const open = route({ service: svc, name: 'open', paths: ['/open'] });
    const limited = route({ service: svc, name: 'limited', paths: ['/limited'] });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [byHost, open, limited],
        plugins: [plugin('request-size-limiting', { route: { id: limited.id }, config: { allowed_payload_size: 1024, size_unit: 'bytes' } })],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    await upstream?.close();
  });

  const seenPath = (path: string): boolean => upstream.seen.some((r) => r.path === path);

  it('routes an absolute-form request by the host of its target, not its Host header', async () => {
    const reply = await rawExchange(dp.proxyPort, ['GET http://abs.test/abs/x?q=1 HTTP/1.1\r\nHost: elsewhere.test\r\nConnection: close\r\n\r\n']);
    expect(reply.status).toBe(200);
    const seen = upstream.seen.find((r) => r.path === '/x?q=1');
    // preserve_host: the upstream gets the target's authority as Host.
    expect(seen?.headers.host).toBe('abs.test');
    expect(seen?.headers['x-forwarded-host']).toBe('abs.test');

    const wrongHost = await rawExchange(dp.proxyPort, ['GET http://elsewhere.test/abs/y HTTP/1.1\r\nHost: abs.test\r\nConnection: close\r\n\r\n']);
    expect(wrongHost.status).toBe(404);
    expect(seenPath('/y')).toBe(false);
  });

  it('answers 400 to a request with two Host header lines, and sends nothing upstream', async () => {
    const reply = await rawExchange(dp.proxyPort, ['GET /open/dup HTTP/1.1\r\nHost: a.test\r\nhost: b.test\r\n\r\n']);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Bad request');
    expect(reply.text.toLowerCase()).toContain('connection: close');
    expect(seenPath('/dup')).toBe(false);
  });

  it('answers 505 to an HTTP/2.0 request line on the HTTP/1.1 listener, never serving it', async () => {
    const reply = await rawExchange(dp.proxyPort, ['GET /open/h2 HTTP/2.0\r\nHost: proxy.test\r\n\r\n']);
    expect(reply.text).toMatch(/^HTTP\/1\.1 505 /);
    expect(seenPath('/h2')).toBe(false);
  });

  it('answers 400 to a request line without a version (HTTP/0.9), never serving it', async () => {
    const reply = await rawExchange(dp.proxyPort, ['POST /open/fuTP/1.1\r\nHost: proxy.test\r\n\r\n']);
    expect(reply.status).toBe(400);
    expect(seenPath('/fuTP/1.1')).toBe(false);
  });

  it('answers 417 without a 100 Continue when the announced body is over the limit, and 100 Continue then the answer otherwise', async () => {
    const big = await rawExchange(dp.proxyPort, [
      'POST /limited/big HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 4096\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    ]);
    expect(big.status).toBe(417);
    expect(big.text).not.toContain('100 Continue');
    expect(big.text).toContain('Request size limit exceeded');
    expect(seenPath('/big')).toBe(false);

    // The body is sent only after the 100 Continue, as a client that waits for it does.
    const small = await rawExchange(
      dp.proxyPort,
      ['POST /limited/small HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n', 'hello'],
      { gapMs: 300 },
    );
    expect(small.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    expect(upstream.seen.find((r) => r.path === '/small')?.body).toBe('hello');
  });
});
