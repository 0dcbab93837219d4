import { randomUUID, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { GatewayConfig } from '../../packages/protocol/src';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import WebSocket, { WebSocketServer } from 'ws';
import { gateway, route, service, target, upstream, type Service } from '../support/config-builder';
import { tempDir } from '../support/processes';
import { exchange, startTaggedServer } from '../support/streams';
import { issue, type Issued } from '../support/tls-chain';
import { applyConfig, request, startTestDataPlane } from './support';

/** An HTTPS upstream answering the client port it saw and the subject of the client certificate it got. */
async function httpsUpstream(options: https.ServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer(options, (req, res) => {
    const socket = req.socket as unknown as TLSSocket;
    const peer = socket.getPeerCertificate();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ port: socket.remotePort, client: peer.subject?.CN ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function caEntity(id: string, ca: Issued): GatewayConfig['ca_certificates'][number] {
  const digest = new X509Certificate(ca.cert).fingerprint256.replace(/:/g, '').toLowerCase();
  return { id, cert: ca.cert, cert_digest: digest, tags: [], created_at: 1_700_000_000, updated_at: 1_700_000_000 };
}

function certEntity(id: string, c: Issued): GatewayConfig['certificates'][number] {
  return { id, cert: c.cert, key: c.key, cert_alt: null, key_alt: null, tags: [], created_at: 1_700_000_000, updated_at: 1_700_000_000 };
}

// Kong's service fields tls_verify, tls_verify_depth, ca_certificates and client_certificate on real TLS upstreams.
describe('proxy: upstream TLS verification and client certificates', () => {
  let dp: DataPlane;
  let base: string;
  let root: Issued;
  let leafCert: Issued;
  let direct: { port: number; close(): Promise<void> };
  let chained: { port: number; close(): Promise<void> };
  let mtls: { port: number; close(): Promise<void> };
  const rootId = randomUUID();
  const otherCaId = randomUUID();
  const clientCertId = randomUUID();
  let cas: GatewayConfig['ca_certificates'];
  let certificates: GatewayConfig['certificates'];

  beforeAll(async () => {
    root = await issue({ cn: 'Test Root CA', ca: true });
    const intermediate = await issue({ cn: 'Test Intermediate CA', ca: true }, root);
    const other = await issue({ cn: 'Other Root CA', ca: true });
    const leaf = await issue({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] }, root);
    const deepLeaf = await issue({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] }, intermediate);
    const clientCa = await issue({ cn: 'Client CA', ca: true });
    const client = await issue({ cn: 'gateway-client' }, clientCa);
    leafCert = leaf;
    direct = await httpsUpstream({ cert: leaf.cert, key: leaf.key });
    chained = await httpsUpstream({ cert: deepLeaf.cert + intermediate.cert, key: deepLeaf.key });
    mtls = await httpsUpstream({ cert: leaf.cert, key: leaf.key, ca: clientCa.cert, requestCert: true, rejectUnauthorized: true });
    cas = [caEntity(rootId, root), caEntity(otherCaId, other)];
    certificates = [certEntity(clientCertId, client)];
    dp = await startTestDataPlane();
    base = `http://127.0.0.1:${dp.proxyPort}`;
  });
  afterAll(async () => {
    await dp.stop();
    await Promise.all([direct.close(), chained.close(), mtls.close()]);
  });

  /** Applies services each behind a route /<name>, with the test's CA certificates and client certificate. */
  function serve(services: Record<string, Service>, version: number, extra: Partial<GatewayConfig> = {}): void {
    applyConfig(
      dp,
      gateway({
        ca_certificates: cas,
        certificates,
        services: Object.values(services),
        routes: Object.keys(services).map((name) => route({ service: services[name], paths: [`/${name}`] })),
        ...extra,
      }),
      version,
    );
  }

  const https0 = (port: number, fields: Partial<Service> = {}): Service => service({ protocol: 'https', host: '127.0.0.1', port, retries: 0, ...fields });

  it('verifies only when tls_verify says so, against the service CA certificates; services with other settings share no connection', async () => {
    const off = https0(direct.port);
    const noCa = https0(direct.port, { tls_verify: true });
    const withCa = https0(direct.port, { tls_verify: true, ca_certificates: [rootId] });
    const wrongCa = https0(direct.port, { tls_verify: true, ca_certificates: [otherCaId] });
    serve({ off, noCa, withCa, wrongCa }, 1);
    // The unverified service's keep-alive connection to the same upstream is not lent to the verifying one.
    expect((await request(`${base}/off`)).status).toBe(200);
    const refused = await request(`${base}/noCa`);
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({ message: 'An invalid response was received from the upstream server' });
    expect((await request(`${base}/wrongCa`)).status).toBe(502);
    const ok = await request(`${base}/withCa`);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ client: null });
  });

  it('a config change of the TLS fields makes new connections; an unchanged service keeps its own', async () => {
    const keep = https0(direct.port, { tls_verify: true, ca_certificates: [rootId] });
    const change = https0(direct.port, { tls_verify: true });
    serve({ keep, change }, 2);
    const first = await request(`${base}/keep`);
    expect(first.status).toBe(200);
    expect((await request(`${base}/change`)).status).toBe(502);
    serve({ keep, change: { ...change, ca_certificates: [rootId] } }, 3);
    expect((await request(`${base}/change`)).status).toBe(200);
    const again = await request(`${base}/keep`);
    expect(again.status).toBe(200);
    // The same upstream connection (its client port) before and after the apply.
    expect((again.json as { port: number }).port).toBe((first.json as { port: number }).port);
  });

  it('tls_verify_depth limits the intermediate certificates between the upstream certificate and the trusted CA', async () => {
    const depth0 = https0(chained.port, { tls_verify: true, tls_verify_depth: 0, ca_certificates: [rootId] });
    const depth1 = https0(chained.port, { tls_verify: true, tls_verify_depth: 1, ca_certificates: [rootId] });
    const unlimited = https0(chained.port, { tls_verify: true, ca_certificates: [rootId] });
    const direct0 = https0(direct.port, { tls_verify: true, tls_verify_depth: 0, ca_certificates: [rootId] });
    serve({ depth0, depth1, unlimited, direct0 }, 4);
    expect((await request(`${base}/depth0`)).status).toBe(502);
    expect((await request(`${base}/depth1`)).status).toBe(200);
    expect((await request(`${base}/unlimited`)).status).toBe(200);
    expect((await request(`${base}/direct0`)).status).toBe(200);
  });

  it('presents client_certificate to an upstream that demands one; without it the upstream refuses (502)', async () => {
    const without = https0(mtls.port, { tls_verify: true, ca_certificates: [rootId] });
    const presenting = https0(mtls.port, { client_certificate: { id: clientCertId } });
    serve({ without, presenting }, 5);
    expect((await request(`${base}/without`)).status).toBe(502);
    const ok = await request(`${base}/presenting`);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ client: 'gateway-client' });
  });

  it('a WebSocket upgrade to an https service is verified the same way: 502 without the CA, relayed with it', async () => {
    const server = https.createServer({ cert: leafCert.cert, key: leafCert.key });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.send('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const wsNoCa = https0(port, { tls_verify: true });
    const wsCa = https0(port, { tls_verify: true, ca_certificates: [rootId] });
    serve({ wsNoCa, wsCa }, 7);
    const open = (name: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${dp.proxyPort}/${name}`, { handshakeTimeout: 5000 });
        ws.once('unexpected-response', (_req, res) => {
          resolve(`status ${String(res.statusCode)}`);
          ws.terminate();
        });
        ws.once('message', (data: Buffer) => {
          resolve(data.toString());
          ws.close();
        });
        ws.once('error', reject);
      });
    expect(await open('wsNoCa')).toBe('status 502');
    expect(await open('wsCa')).toBe('hello');
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('a failed verification counts as a TCP failure for passive health checks', async () => {
    const up = upstream({ name: 'tls-pool.test', healthchecks: { passive: { unhealthy: { tcp_failures: 1 } } } });
    const balanced = service({ protocol: 'https', host: 'tls-pool.test', port: 443, retries: 0, tls_verify: true });
    serve({ balanced }, 6, { upstreams: [up], targets: [target(up, { target: `127.0.0.1:${direct.port}` })] });
    expect((await request(`${base}/balanced`)).status).toBe(502);
    const after = await request(`${base}/balanced`);
    expect(after.status).toBe(503);
    expect(after.json).toMatchObject({ message: 'failure to get a peer from the ring-balancer' });
  });
});

describe('streams: tls services verify the upstream as their tls_verify and ca_certificates say', () => {
  let dp: DataPlane;
  let upstreamTls: { port: number; close(): void };
  const rootId = randomUUID();

  beforeAll(async () => {
    const root = await issue({ cn: 'Stream Root CA', ca: true });
    const leaf = await issue({ cn: 'localhost', ips: ['127.0.0.1'] }, root);
    const dir = tempDir('gatehouse-stream-tls-');
    fs.writeFileSync(path.join(dir, 'leaf.crt'), leaf.cert);
    fs.writeFileSync(path.join(dir, 'leaf.key'), leaf.key);
    upstreamTls = await startTaggedServer('S', { cert: path.join(dir, 'leaf.crt'), key: path.join(dir, 'leaf.key') });
    dp = await startTestDataPlane({ GATEHOUSE_STREAM_LISTEN: '127.0.0.1:0, 127.0.0.1:0' });
    const [untrusted = 0, trusted = 0] = dp.streamPorts;
    const noCa = service({ protocol: 'tls', port: upstreamTls.port, tls_verify: true });
    const withCa = service({ protocol: 'tls', port: upstreamTls.port, tls_verify: true, ca_certificates: [rootId] });
    applyConfig(
      dp,
      gateway({
        ca_certificates: [caEntity(rootId, root)],
        services: [noCa, withCa],
        routes: [
          route({ service: noCa, protocols: ['tcp'], destinations: [{ port: untrusted }] }),
          route({ service: withCa, protocols: ['tcp'], destinations: [{ port: trusted }] }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    upstreamTls.close();
  });

  it('closes the session when the upstream certificate is not trusted, carries it with the CA', async () => {
    const [untrusted = 0, trusted = 0] = dp.streamPorts;
    expect((await exchange(untrusted, 'hi')).reply).toBe('');
    expect((await exchange(trusted, 'hi')).reply).toBe('S[-]:hi');
  });
});
