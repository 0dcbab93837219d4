import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { ClientHttp2Session } from 'node:http2';
import path from 'node:path';
import tls from 'node:tls';
import pino from 'pino';
import type { GatewayConfig } from '../../packages/protocol/src';
import { classifyFailure } from '../../packages/data-plane/src/upstream/failure';
import { H2Sessions } from '../../packages/data-plane/src/upstream/h2-sessions';
import { UpstreamPools, type PoolTarget } from '../../packages/data-plane/src/upstream/pools';
import { UpstreamTlsResolver, type UpstreamTls } from '../../packages/data-plane/src/upstream/tls-options';
import { gateway, service, type Service } from '../support/config-builder';
import { startGrpcUpstream, type GrpcUpstream } from '../support/grpc-upstream';
import { tempDir } from '../support/processes';
import { issue, type Issued } from '../support/tls-chain';

const NOW = 1_700_000_000;

/** What the resolver logged, for the assertions on Kong's "unable to apply" errors. */
function capturingLogger(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

function acquire(pool: H2Sessions, target: PoolTarget): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => pool.acquire(target, (err, session) => (err ? reject(err) : resolve(session!))));
}

/** One gRPC unary call (an empty EchoRequest) on `session`: the reply's grpc-status. */
function unaryStatus(session: ClientHttp2Session): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/gatehouse.test.Echo/Unary', 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('trailers', (t) => resolve(String(t['grpc-status'])));
    stream.on('error', reject);
    stream.resume();
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

describe('upstream TLS settings: sessions to grpcs upstreams, failures, the resolver', () => {
  let root: Issued;
  let grpcs: GrpcUpstream;
  const rootId = randomUUID();
  let config: GatewayConfig;

  beforeAll(async () => {
    root = await issue({ cn: 'Test Root CA', ca: true });
    const leaf = await issue({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] }, root);
    const dir = tempDir('gatehouse-grpcs-');
    fs.writeFileSync(path.join(dir, 'leaf.crt'), leaf.cert);
    fs.writeFileSync(path.join(dir, 'leaf.key'), leaf.key);
    grpcs = await startGrpcUpstream({ cert: path.join(dir, 'leaf.crt'), key: path.join(dir, 'leaf.key') });
    config = gateway({ ca_certificates: [{ id: rootId, cert: root.cert, cert_digest: '0'.repeat(64), tags: [], created_at: NOW, updated_at: NOW }] });
  });
  afterAll(() => grpcs.close());

  const resolve = (fields: Partial<Service>, cfg = config, log = pino({ level: 'silent' })): UpstreamTls | null =>
    new UpstreamTlsResolver(cfg, new Map(), log).resolve(service({ protocol: 'https', host: '127.0.0.1', ...fields }));
  const targetWith = (t: UpstreamTls | null): PoolTarget => ({
    scheme: 'https',
    host: '127.0.0.1',
    port: grpcs.port,
    connectTimeout: 2000,
    servername: undefined,
    tls: t,
  });

  it('an HTTP/2 session to a grpcs upstream verifies its certificate with the CA certificates and carries calls', async () => {
    const pool = new H2Sessions();
    const session = await acquire(pool, targetWith(resolve({ tls_verify: true, ca_certificates: [rootId] })));
    expect(await unaryStatus(session)).toBe('0');
    // Without the CA the same upstream fails the handshake, on a session of its own: a TLS failure (502).
    const err = await acquire(pool, targetWith(resolve({ tls_verify: true }))).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(err?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(classifyFailure(err!)).toBe('tls');
    // Kong's default: not verified.
    expect(await unaryStatus(await acquire(pool, targetWith(null)))).toBe('0');
    pool.destroy();
  });

  it('classifies a chain longer than tls_verify_depth as a TLS failure, with OpenSSL code CERT_CHAIN_TOO_LONG', async () => {
    const intermediate = await issue({ cn: 'Intermediate', ca: true }, root);
    const deep = await issue({ cn: 'localhost', ips: ['127.0.0.1'] }, intermediate);
    const server = tls.createServer({ cert: deep.cert + intermediate.cert, key: deep.key }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const attempt = (t: UpstreamTls | null): Promise<NodeJS.ErrnoException | null> =>
      new Promise((done) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ...t?.connect });
        socket.once('secureConnect', () => {
          socket.destroy();
          done(null);
        });
        socket.once('error', done);
      });
    const tooDeep = await attempt(resolve({ tls_verify: true, tls_verify_depth: 0, ca_certificates: [rootId] }));
    expect(tooDeep?.code).toBe('CERT_CHAIN_TOO_LONG');
    expect(classifyFailure(tooDeep!)).toBe('tls');
    expect(await attempt(resolve({ tls_verify: true, tls_verify_depth: 1, ca_certificates: [rootId] }))).toBeNull();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('an upstream that demands a client certificate and gets none closes the connection under the request (a reset); with one it answers', async () => {
    const clientCa = await issue({ cn: 'Client CA', ca: true });
    const client = await issue({ cn: 'gateway-client' }, clientCa);
    const leaf = await issue({ cn: 'localhost', ips: ['127.0.0.1'] }, root);
    const server = https.createServer({ cert: leaf.cert, key: leaf.key, ca: clientCa.cert, requestCert: true, rejectUnauthorized: true }, (req, res) =>
      res.end((req.socket as unknown as tls.TLSSocket).getPeerCertificate().subject.CN),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const certId = randomUUID();
    const withClient = gateway({
      ...config,
      certificates: [{ id: certId, cert: client.cert, key: client.key, cert_alt: null, key_alt: null, tags: [], created_at: NOW, updated_at: NOW }],
    });
    const pools = new UpstreamPools();
    const get = (t: UpstreamTls | null): Promise<string> =>
      pools
        .get({ scheme: 'https', host: '127.0.0.1', port, connectTimeout: 2000, servername: undefined, tls: t })
        .request({ path: '/', method: 'GET' })
        .then((r) => r.body.text());
    const err = await get(resolve({ tls_verify: true, ca_certificates: [rootId] })).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    // TLS 1.3: the client's handshake is over before the upstream checks its certificate, so the refusal
    // (the upstream's alert, then its close) comes while reading the answer, as in nginx: a reset (502, a TCP failure).
    expect(err?.code).toBe('UND_ERR_SOCKET');
    expect(classifyFailure(err!)).toBe('reset');
    expect(await get(resolve({ client_certificate: { id: certId } }, withClient))).toBe('gateway-client');
    pools.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('services with equal settings share one; a CA certificate changed under the same id makes another key', () => {
    const resolver = new UpstreamTlsResolver(config, new Map(), pino({ level: 'silent' }));
    const a = resolver.resolve(service({ protocol: 'https', tls_verify: true, ca_certificates: [rootId] }));
    const b = resolver.resolve(service({ protocol: 'https', tls_verify: true, ca_certificates: [rootId] }));
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(resolve({})).toBeNull();
    const changed = { ...config, ca_certificates: config.ca_certificates.map((c) => ({ ...c, cert: root.cert.replace(/\n$/, '\n\n') })) };
    expect(resolve({ tls_verify: true, ca_certificates: [rootId] }, changed)?.key).not.toBe(a?.key);
  });

  it('refuses a config whose service names a CA certificate it lacks; logs a client certificate it cannot apply and connects without it', () => {
    expect(() => resolve({ tls_verify: true, ca_certificates: [randomUUID()] })).toThrow(/trusts CA certificate .* which is not in the config/);
    const certId = randomUUID();
    const broken = gateway({
      ...config,
      certificates: [{ id: certId, cert: '', key: '', cert_alt: null, key_alt: null, tags: [], created_at: NOW, updated_at: NOW }],
    });
    const { log, lines } = capturingLogger();
    const t = resolve({ client_certificate: { id: certId } }, broken, log);
    expect(t?.connect.rejectUnauthorized).toBe(false);
    expect(t?.connect.secureContext).toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['unable to apply upstream client TLS certificate: it has no certificate or key']);
  });
});
