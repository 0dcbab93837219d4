import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { exchange, startTaggedServer } from '../support/streams';
import { applyConfig, makeCertificate, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import type { RequestRecord } from '../../packages/data-plane/src/analytics/recorder';
import { freePort, tempDir } from '../support/processes';

describe('stream proxy: tcp, tls and tls_passthrough routes', () => {
  let dp: DataPlane;
  const upstreams: { close(): void }[] = [];
  const records: RequestRecord[] = [];
  let [plainA, plainB, deadPort, unrouted, ssl] = [0, 0, 0, 0, 0];

  beforeAll(async () => {
    const dir = tempDir('gatehouse-streams-');
    const dpCert = makeCertificate(dir, 'localhost');
    const upstreamCert = makeCertificate(dir, 'upstream.test');
    const a = await startTaggedServer('A');
    const b = await startTaggedServer('B');
    const secure = await startTaggedServer('S', upstreamCert);
    upstreams.push(a, b, secure);
    const dead = await freePort();
    dp = await startTestDataPlane({
      GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0',
      GATEHOUSE_PROXY_TLS_CERT: dpCert.cert,
      GATEHOUSE_PROXY_TLS_CERT_KEY: dpCert.key,
      GATEHOUSE_STREAM_LISTEN: '127.0.0.1:0, 127.0.0.1:0, 127.0.0.1:0, 127.0.0.1:0, 127.0.0.1:0 ssl',
    });
    dp.sessionObservers.push((r) => records.push(r));
    [plainA = 0, plainB = 0, deadPort = 0, unrouted = 0, ssl = 0] = dp.streamPorts;
    const svcA = service({ name: 'tcp-a', protocol: 'tcp', port: a.port });
    const svcB = service({ name: 'tcp-b', protocol: 'tcp', port: b.port, read_timeout: 500 });
    const svcTls = service({ name: 'tls-upstream', protocol: 'tcp', port: secure.port });
    const svcTlsOrigin = service({ name: 'tls-origin', protocol: 'tls', host: '127.0.0.1', port: secure.port });
    const svcDead = service({ name: 'dead', protocol: 'tcp', port: dead });
    applyConfig(
      dp,
      gateway({
        services: [svcA, svcB, svcTls, svcTlsOrigin, svcDead],
        routes: [
          route({ name: 'to-a', service: svcA, protocols: ['tcp'], destinations: [{ port: plainA }] }),
          route({ name: 'to-b', service: svcB, protocols: ['tcp'], destinations: [{ port: plainB }] }),
          // Source and destination together outrank the destination alone (Kong's stream priority).
          route({
            name: 'from-2-to-a-port',
            service: svcB,
            protocols: ['tcp'],
            sources: [{ ip: '127.0.0.2' }],
            destinations: [{ ip: '127.0.0.1', port: plainA }],
          }),
          route({ name: 'dead', service: svcDead, protocols: ['tcp'], destinations: [{ port: deadPort }] }),
          route({ name: 'terminated', service: svcA, protocols: ['tls'], snis: ['term.example.test'] }),
          route({ name: 'to-tls-origin', service: svcTlsOrigin, protocols: ['tls'], snis: ['origin.example.test'] }),
          route({ name: 'keeps-sni', service: svcTlsOrigin, protocols: ['tls'], snis: ['keep.example.test'], preserve_host: true }),
          route({ name: 'passthrough', service: svcTls, protocols: ['tls_passthrough'], snis: ['*.pass.example.test'] }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    for (const u of upstreams) u.close();
  });

  it('carries bytes both ways through a tcp route, the answer coming back after the client ended its side', async () => {
    const { reply } = await exchange(plainA, 'hello');
    expect(reply).toBe('A:hello');
    const big = 'x'.repeat(1_000_000);
    // The upstream tags each chunk it reads: what remains without the tags is every byte, in order.
    expect((await exchange(plainA, big)).reply.replace(/A:/g, '')).toBe(big);
  });

  it('matches destinations by the local port and sources by the client address', async () => {
    expect((await exchange(plainB, 'b')).reply).toBe('B:b');
    expect((await exchange(plainA, 'from-1')).reply).toBe('A:from-1');
    expect((await exchange(plainA, 'from-2', { localAddress: '127.0.0.2' })).reply).toBe('B:from-2');
  });

  it('closes the connection when no route matches or the upstream refuses it', async () => {
    expect((await exchange(unrouted, 'anyone?')).reply).toBe('');
    expect((await exchange(deadPort, 'anyone?')).reply).toBe('');
  });

  it('closes a session idle for the service read_timeout', async () => {
    const { reply, ms } = await exchange(plainB, 'wait', { end: false });
    expect(reply).toBe('B:wait');
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5000);
  });

  it('terminates TLS on an ssl listener with its certificate and proxies the plaintext, to a tcp or a tls service', async () => {
    const plain = await exchange(ssl, 'secret', { servername: 'term.example.test' });
    expect(plain).toMatchObject({ reply: 'A:secret', peer: 'localhost' });
    const reEncrypted = await exchange(ssl, 'again', { servername: 'origin.example.test' });
    // The service's host is an IP: no SNI upstream, unless the route preserves the client's (Kong's preserve_host).
    expect(reEncrypted).toMatchObject({ reply: 'S[-]:again', peer: 'localhost' });
    expect((await exchange(ssl, 'kept', { servername: 'keep.example.test' })).reply).toBe('S[keep.example.test]:kept');
  });

  it('pipes a tls_passthrough connection untouched: the client sees the upstream certificate', async () => {
    const passed = await exchange(ssl, 'through', { servername: 'db.pass.example.test' });
    expect(passed).toMatchObject({ reply: 'S[db.pass.example.test]:through', peer: 'upstream.test' });
    expect((await exchange(ssl, 'x', { servername: 'nobody.example.test' })).reply).toBe('');
  });

  it('hands every session to the observers with its route, status, bytes and duration', async () => {
    records.length = 0;
    await exchange(plainA, '12345');
    await exchange(deadPort, 'x');
    await exchange(unrouted, 'x');
    await new Promise((r) => setTimeout(r, 100));
    const byStatus = Object.fromEntries(records.map((r) => [r.status, r]));
    expect(byStatus[200]).toMatchObject({ bytesIn: 5, bytesOut: 7, consumerId: null });
    expect(byStatus[200]?.routeId).not.toBeNull();
    expect(byStatus[502]).toMatchObject({ bytesIn: 0, bytesOut: 0 });
    expect(byStatus[500]).toMatchObject({ routeId: null, serviceId: null });
    expect(byStatus[200]?.latencyMs).toBeGreaterThan(0);
  });
});

describe('stream proxy: the certificates of tls routes', () => {
  it("presents the group's certificate an SNI names, else the DP's generated self-signed default, as Kong", async () => {
    const upstream = await startTaggedServer('D');
    const files = makeCertificate(tempDir('gatehouse-stream-sni-'), 'group.example.test');
    const cert = {
      id: randomUUID(),
      cert: fs.readFileSync(files.cert, 'utf8'),
      key: fs.readFileSync(files.key, 'utf8'),
      cert_alt: null,
      key_alt: null,
      tags: [],
      created_at: 1,
      updated_at: 1,
    };
    const sni = { id: randomUUID(), name: '*.example.test', certificate: { id: cert.id }, tags: [], created_at: 1, updated_at: 1 };
    const dp = await startTestDataPlane({ GATEHOUSE_STREAM_LISTEN: '127.0.0.1:0 ssl' });
    try {
      const svc = service({ protocol: 'tcp', port: upstream.port });
      applyConfig(
        dp,
        gateway({
          services: [svc],
          routes: [route({ service: svc, protocols: ['tls'], snis: ['*.example.test', 'default.other'] })],
          certificates: [cert],
          snis: [sni],
        }),
      );
      const [port = 0] = dp.streamPorts;
      expect(await exchange(port, 'hi', { servername: 'a.example.test' })).toMatchObject({ reply: 'D:hi', peer: 'group.example.test' });
      expect(await exchange(port, 'hi', { servername: 'default.other' })).toMatchObject({ reply: 'D:hi', peer: 'localhost' });
    } finally {
      await dp.stop();
      upstream.close();
    }
  });
});
