import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { applyConfig, makeCertificate, request, startTestDataPlane } from './support';
import { hashPassword } from '@gatehouse/protocol/node';
import { acl, basicAuth, consumer, gateway, keyAuth, plugin, route, service, target, upstream } from '../support/config-builder';
import { echoClient, grpc, startGrpcUpstream, unary, type EchoClient, type EchoReply, type GrpcUpstream } from '../support/grpc-upstream';
import { freePort, tempDir } from '../support/processes';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import type { RequestContext } from '../../packages/data-plane/src/proxy/request-context';

const ECHO = '/gatehouse.test.Echo/';

function isError(r: EchoReply | grpc.ServiceError): r is grpc.ServiceError {
  return r instanceof Error;
}

/** Metadata of a call: `key: value` pairs as a client sends them. */
function md(pairs: Record<string, string>): grpc.Metadata {
  const m = new grpc.Metadata();
  for (const [k, v] of Object.entries(pairs)) m.set(k, v);
  return m;
}

/** One request from a bare HTTP/2 client (no gRPC library: nothing enforced or rewritten client-side). */
function rawCall(
  url: string,
  path: string,
  headers: http2.OutgoingHttpHeaders,
): Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: Buffer; endedWithHead: boolean }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, { rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let head: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    let endedWithHead = false;
    const chunks: Buffer[] = [];
    stream.on('response', (h, flags) => {
      head = h;
      endedWithHead = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    });
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('close', () => {
      session.close();
      resolve({ headers: head, trailers, body: Buffer.concat(chunks), endedWithHead });
    });
    stream.on('error', reject);
    // One empty gRPC message: flag 0, length 0.
    stream.end(Buffer.alloc(5));
  });
}

describe('proxy: gRPC (grpc and grpcs services, h2c and TLS listeners)', () => {
  let plain: GrpcUpstream;
  let secure: GrpcUpstream;
  let second: GrpcUpstream;
  let hang: http2.Http2Server;
  let hangPort: number;
  const hangClosed: number[] = [];
  let dp: DataPlane;
  let certFile: string;
  let h2c: EchoClient;
  const seen: RequestContext[] = [];

  beforeAll(async () => {
    const dir = tempDir('gatehouse-grpc-');
    const dpCert = makeCertificate(dir, 'localhost');
    certFile = dpCert.cert;
    plain = await startGrpcUpstream();
    second = await startGrpcUpstream();
    secure = await startGrpcUpstream(makeCertificate(dir, 'upstream.test'));
    // An HTTP/2 upstream that never answers: the gateway's own deadline is what ends its calls.
    hang = http2.createServer();
    hang.on('stream', (stream, headers) => {
      stream.on('close', () => hangClosed.push(Date.now()));
      stream.on('error', () => undefined);
      if (headers[':path'] !== '/reset.Service/Cut') return;
      // A response head and one message, then a reset: the call is cut mid-response.
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(Buffer.from([0, 0, 0, 0, 0]), () => setTimeout(() => stream.destroy(new Error('cut')), 20));
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    hangPort = (hang.address() as AddressInfo).port;

    dp = await startTestDataPlane({
      GATEHOUSE_PROXY_LISTEN: '127.0.0.1:0 http2',
      GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0 http2',
      GATEHOUSE_PROXY_TLS_CERT: dpCert.cert,
      GATEHOUSE_PROXY_TLS_CERT_KEY: dpCert.key,
    });
    dp.observers.push((ctx) => seen.push(ctx));
    const grpcSvc = service({ protocol: 'grpc', port: plain.port });
    const grpcsSvc = service({ protocol: 'grpcs', host: 'localhost', port: secure.port });
    const downSvc = service({ protocol: 'grpc', port: await freePort(), retries: 1 });
    const hangSvc = service({ protocol: 'grpc', port: hangPort });
    const keyed = route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['auth'] }, strip_path: false });
    const limited = route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['limit'] }, strip_path: false });
    const basic = route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['basic'] }, strip_path: false });
    const admins = route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['admins'] }, strip_path: false });
    const pool = upstream({ name: 'greeters.internal' });
    const balancedSvc = service({ protocol: 'grpc', host: 'greeters.internal' });
    const tlsKeyed = route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['grpcs-key'] }, strip_path: false });
    const alice = consumer({ username: 'alice' });
    const bob = consumer({ username: 'bob' });
    applyConfig(
      dp,
      gateway({
        services: [grpcSvc, grpcsSvc, downSvc, hangSvc, balancedSvc],
        upstreams: [pool],
        targets: [target(pool, { target: `127.0.0.1:${plain.port}` }), target(pool, { target: `127.0.0.1:${second.port}` })],
        routes: [
          route({ service: grpcSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], strip_path: false }),
          route({ service: grpcsSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['tls-upstream'] }, strip_path: false }),
          route({ service: downSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['down'] }, strip_path: false }),
          route({ service: grpcSvc, protocols: ['grpcs'], paths: [ECHO], headers: { 'x-case': ['grpcs-only'] }, strip_path: false }),
          route({ service: hangSvc, protocols: ['grpc'], paths: ['/hang.Service/', '/reset.Service/'], strip_path: false }),
          keyed,
          limited,
          basic,
          admins,
          tlsKeyed,
          route({ service: balancedSvc, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['balanced'] }, strip_path: false }),
        ],
        consumers: [alice, bob],
        plugins: [
          plugin('key-auth', { route: keyed, config: {} }),
          plugin('rate-limiting', { route: limited, config: { minute: 2, policy: 'local' } }),
          plugin('basic-auth', { route: basic, config: {} }),
          plugin('key-auth', { route: admins, config: {} }),
          plugin('acl', { route: admins, config: { allow: ['admins'] } }),
          plugin('key-auth', { route: tlsKeyed, config: {}, protocols: ['http', 'https', 'grpcs'] }),
        ],
        keyauth_credentials: [keyAuth(alice, 'alice-key'), keyAuth(bob, 'bob-key')],
        basicauth_credentials: [basicAuth(alice, 'alice', await hashPassword('open sesame'))],
        acls: [acl(alice, 'admins')],
      }),
    );
    h2c = echoClient(`127.0.0.1:${dp.proxyPort}`);
  });

  afterAll(async () => {
    h2c.close();
    await dp.stop();
    await plain.close();
    await secure.close();
    await second.close();
    await new Promise<void>((r) => hang.close(() => r()));
  });

  it('proxies a unary call over h2c to a grpc service, with the forwarded headers and TE: trailers', async () => {
    const reply = await unary(h2c, { message: 'hi' }, md({ 'x-client': 'one' }));
    if (isError(reply)) throw reply;
    expect(reply.message).toBe('echo:hi');
    const headers = JSON.parse(reply.seen) as Record<string, string>;
    expect(headers['x-client']).toBe('one');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-path']).toBe(`${ECHO}Unary`);
    expect(headers[':authority']).toBe(`127.0.0.1:${plain.port}`);
    expect(headers.via).toMatch(/^2 gatehouse\//);
    expect(headers['x-gatehouse-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const ctx = seen.find((c) => c.upstreamPath === `${ECHO}Unary` && c.status === 200);
    expect(ctx?.service?.protocol).toBe('grpc');
  });

  it('relays a message of 1 MiB each way (flow control over both HTTP/2 hops)', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const reply = await unary(h2c, { message: big });
    if (isError(reply)) throw reply;
    expect(reply.message.length).toBe(big.length + 'echo:'.length);
  });

  it('relays a server-streaming call message by message, then its trailers', async () => {
    const call = h2c.ServerStream({ message: 'm', count: 3, delay_ms: 20 });
    const got: string[] = [];
    call.on('data', (r: EchoReply) => got.push(r.message));
    const status = await new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    expect(got).toEqual(['m#0', 'm#1', 'm#2']);
    expect(status.code).toBe(grpc.status.OK);
    expect(status.metadata.get('x-trailer')).toEqual(['done']);
  });

  it('relays a client-streaming call', async () => {
    const reply = await new Promise<EchoReply>((resolve, reject) => {
      const call = h2c.ClientStream(new grpc.Metadata(), {}, (err, r) => (err ? reject(err) : resolve(r!)));
      for (const m of ['a', 'b', 'c']) call.write({ message: m });
      call.end();
    });
    expect(reply.message).toBe('a+b+c');
    expect(reply.index).toBe(3);
  });

  it('relays a bidi call both ways at once: each reply arrives before the next message is sent', async () => {
    const call = h2c.Bidi();
    const next = (): Promise<EchoReply> => new Promise((resolve) => call.once('data', resolve));
    for (const m of ['x', 'y', 'z']) {
      const reply = next();
      call.write({ message: m });
      expect((await reply).message).toBe(`echo:${m}`);
    }
    call.end();
    const status = await new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    expect(status.code).toBe(grpc.status.OK);
  });

  it("passes an upstream's error status through with its message and trailers", async () => {
    const reply = await unary(h2c, { message: 'nope: ümlaut 100%', fail_code: grpc.status.FAILED_PRECONDITION });
    if (!isError(reply)) throw new Error('expected an error');
    expect(reply.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(reply.details).toBe('nope: ümlaut 100%');
    expect(reply.metadata.get('x-failure-detail')).toEqual([`code ${grpc.status.FAILED_PRECONDITION}`]);
  });

  it('passes the deadline upstream as grpc-timeout: a call past it ends DEADLINE_EXCEEDED and the upstream sees it cancelled', async () => {
    // The calls so far all completed: none of them was cancelled upstream on the way.
    expect(plain.cancelled).toEqual([]);
    const started = Date.now();
    const reply = await unary(h2c, { message: 'slow', delay_ms: 3000 }, new grpc.Metadata(), { deadline: Date.now() + 300 });
    if (!isError(reply)) throw new Error('expected an error');
    expect(reply.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => plain.cancelled.includes('Unary'));
  });

  it('passes a deadline beyond any timer (99999999H) on without ending the call early', async () => {
    const res = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, `${ECHO}Unary`, { 'grpc-timeout': '99999999H' });
    expect(res.headers[':status']).toBe(200);
    expect(res.trailers['grpc-status']).toBe('0');
  });

  it("ends a call at its grpc-timeout itself when the upstream ignores it: 504, grpc-status 4, the upstream's stream cancelled", async () => {
    const started = Date.now();
    const res = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, '/hang.Service/Wait', { 'grpc-timeout': '300m' });
    expect(res.headers[':status']).toBe(504);
    expect(res.endedWithHead).toBe(true);
    expect(res.headers['grpc-status']).toBe('4');
    expect(res.headers['grpc-message']).toBe('Deadline Exceeded');
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => hangClosed.length > 0);
  });

  it("resets the client's stream when the upstream resets its own mid-response, with the same code", async () => {
    const res = await new Promise<{ rstCode: number; head: http2.IncomingHttpHeaders }>((resolve, reject) => {
      const session = http2.connect(`http://127.0.0.1:${dp.proxyPort}`);
      session.on('error', reject);
      const stream = session.request({ ':method': 'POST', ':path': '/reset.Service/Cut', 'content-type': 'application/grpc', te: 'trailers' });
      let head: http2.IncomingHttpHeaders = {};
      stream.on('response', (h) => (head = h));
      stream.on('data', () => undefined);
      stream.on('error', () => undefined);
      stream.on('close', () => {
        session.close();
        resolve({ rstCode: stream.rstCode ?? -1, head });
      });
      stream.end(Buffer.alloc(5));
    });
    expect(res.head[':status']).toBe(200);
    expect(res.rstCode).toBe(http2.constants.NGHTTP2_INTERNAL_ERROR);
  });

  it("cancels the upstream's call when the client cancels a stream", async () => {
    const call = h2c.ServerStream({ message: 'long', count: 1000, delay_ms: 20 });
    await new Promise((resolve) => call.once('data', resolve));
    call.on('error', () => undefined);
    call.cancel();
    await waitFor(() => plain.cancelled.includes('ServerStream'));
  });

  it("balances calls to a grpc service over its upstream's targets, each with its target as :authority", async () => {
    const before = [plain.unaryCalls, second.unaryCalls];
    const authorities = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const reply = await unary(h2c, { message: 'b' }, md({ 'x-case': 'balanced' }));
      if (isError(reply)) throw reply;
      authorities.add((JSON.parse(reply.seen) as Record<string, string>)[':authority'] ?? '');
    }
    expect(plain.unaryCalls - (before[0] ?? 0)).toBe(3);
    expect(second.unaryCalls - (before[1] ?? 0)).toBe(3);
    expect([...authorities].sort()).toEqual([`127.0.0.1:${plain.port}`, `127.0.0.1:${second.port}`].sort());
  });

  it("answers a call to a stopped upstream with Kong's 502 as grpc-status 13 INTERNAL and its message", async () => {
    const reply = await unary(h2c, { message: 'x' }, md({ 'x-case': 'down' }));
    if (!isError(reply)) throw new Error('expected an error');
    expect(reply.code).toBe(grpc.status.INTERNAL);
    expect(reply.details).toBe('An invalid response was received from the upstream server');
    const res = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, `${ECHO}Unary`, { 'x-case': 'down' });
    expect(res.headers[':status']).toBe(502);
    expect(res.headers['content-type']).toBe('application/grpc');
    expect(res.endedWithHead).toBe(true);
  });

  it('key-auth: no key is UNAUTHENTICATED (HTTP 401, grpc-message the status name, as Kong); the key lets the call through', async () => {
    const refused = await unary(h2c, { message: 'x' }, md({ 'x-case': 'auth' }));
    if (!isError(refused)) throw new Error('expected an error');
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(refused.details).toBe('Unauthenticated');
    const raw = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, `${ECHO}Unary`, { 'x-case': 'auth' });
    expect(raw.headers[':status']).toBe(401);
    expect(raw.headers['grpc-status']).toBe('16');
    const ok = await unary(h2c, { message: 'x' }, md({ 'x-case': 'auth', apikey: 'alice-key' }));
    if (isError(ok)) throw ok;
    expect(JSON.parse(ok.seen)).toMatchObject({ 'x-consumer-username': 'alice' });
  });

  it('basic-auth: wrong credentials are UNAUTHENTICATED, the right ones pass; acl: a consumer outside the group is PERMISSION_DENIED (403)', async () => {
    const wrong = await unary(h2c, { message: 'x' }, md({ 'x-case': 'basic', authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` }));
    if (!isError(wrong)) throw new Error('expected an error');
    expect(wrong.code).toBe(grpc.status.UNAUTHENTICATED);
    const right = await unary(h2c, { message: 'x' }, md({ 'x-case': 'basic', authorization: `Basic ${Buffer.from('alice:open sesame').toString('base64')}` }));
    if (isError(right)) throw right;
    expect(right.message).toBe('echo:x');

    const outsider = await unary(h2c, { message: 'x' }, md({ 'x-case': 'admins', apikey: 'bob-key' }));
    if (!isError(outsider)) throw new Error('expected an error');
    expect(outsider.code).toBe(grpc.status.PERMISSION_DENIED);
    const raw = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, `${ECHO}Unary`, { 'x-case': 'admins', apikey: 'bob-key' });
    expect(raw.headers[':status']).toBe(403);
    const member = await unary(h2c, { message: 'x' }, md({ 'x-case': 'admins', apikey: 'alice-key' }));
    if (isError(member)) throw member;
    expect(member.message).toBe('echo:x');
  });

  it('rate-limiting: past the limit a call is RESOURCE_EXHAUSTED (HTTP 429)', async () => {
    for (let i = 0; i < 2; i++) {
      const ok = await unary(h2c, { message: 'x' }, md({ 'x-case': 'limit' }));
      if (isError(ok)) throw ok;
    }
    const refused = await unary(h2c, { message: 'x' }, md({ 'x-case': 'limit' }));
    if (!isError(refused)) throw new Error('expected an error');
    expect(refused.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.metadata.get('x-ratelimit-remaining-minute')).toEqual(['0']);
  });

  it("answers Kong's route checks: no route NOT_FOUND, grpcs-only on h2c CANCELLED, HTTP/1.1 426, a non-gRPC body 415", async () => {
    const none = await rawCall(`http://127.0.0.1:${dp.proxyPort}`, '/other.Service/Call', {});
    expect(none.headers[':status']).toBe(404);
    expect(none.headers['grpc-status']).toBe('5');
    expect(none.headers['grpc-message']).toBe('NotFound');
    expect(none.body.length).toBe(0);

    const onlyTls = await unary(h2c, { message: 'x' }, md({ 'x-case': 'grpcs-only' }));
    if (!isError(onlyTls)) throw new Error('expected an error');
    expect(onlyTls.code).toBe(grpc.status.CANCELLED);
    expect(onlyTls.details).toBe('gRPC request matched gRPCs route');

    const http1 = await request(`http://127.0.0.1:${dp.proxyPort}${ECHO}Unary`, { method: 'POST', headers: { 'content-type': 'application/grpc' }, body: '' });
    expect(http1.status).toBe(426);
    expect(http1.json.message).toBe('Please use HTTP2 protocol');
    const json = await request(`http://127.0.0.1:${dp.proxyPort}${ECHO}Unary`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(json.json.message).toBe('Non-gRPC request matched gRPC route');
  });

  describe('over TLS (grpcs to the gateway)', () => {
    let tlsClient: EchoClient;
    beforeAll(() => {
      tlsClient = echoClient(`localhost:${dp.proxyTlsPort ?? 0}`, certFile);
    });
    afterAll(() => tlsClient.close());

    it('proxies unary and bidi calls to a grpc (h2c) service', async () => {
      const reply = await unary(tlsClient, { message: 'tls' });
      if (isError(reply)) throw reply;
      expect(reply.message).toBe('echo:tls');
      expect(JSON.parse(reply.seen)).toMatchObject({ 'x-forwarded-proto': 'https' });
      const call = tlsClient.Bidi();
      const first = new Promise<EchoReply>((resolve) => call.once('data', resolve));
      call.write({ message: 'b' });
      expect((await first).message).toBe('echo:b');
      call.end();
    });

    it('proxies to a grpcs service over TLS, a grpcs-only route included', async () => {
      const reply = await unary(tlsClient, { message: 's' }, md({ 'x-case': 'tls-upstream' }));
      if (isError(reply)) throw reply;
      expect(reply.message).toBe('echo:s');
      const only = await unary(tlsClient, { message: 'o' }, md({ 'x-case': 'grpcs-only' }));
      if (isError(only)) throw only;
      expect(only.message).toBe('echo:o');
    });

    it("runs a plugin on gRPC calls by its protocols: key-auth with 'grpcs' but not 'grpc' refuses over TLS only", async () => {
      const overTls = await unary(tlsClient, { message: 'x' }, md({ 'x-case': 'grpcs-key' }));
      if (!isError(overTls)) throw new Error('expected an error');
      expect(overTls.code).toBe(grpc.status.UNAUTHENTICATED);
      const overH2c = await unary(h2c, { message: 'x' }, md({ 'x-case': 'grpcs-key' }));
      if (isError(overH2c)) throw overH2c;
      expect(overH2c.message).toBe('echo:x');
    });

    it('relays a server stream and an error status with trailers', async () => {
      const call = tlsClient.ServerStream({ message: 'n', count: 2 }, md({ 'x-case': 'tls-upstream' }));
      const got: string[] = [];
      call.on('data', (r: EchoReply) => got.push(r.message));
      const status = await new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
      expect(got).toEqual(['n#0', 'n#1']);
      expect(status.metadata.get('x-trailer')).toEqual(['done']);
      const failed = await unary(tlsClient, { message: 'gone', fail_code: grpc.status.NOT_FOUND }, md({ 'x-case': 'tls-upstream' }));
      if (!isError(failed)) throw new Error('expected an error');
      expect(failed.code).toBe(grpc.status.NOT_FOUND);
      expect(failed.details).toBe('gone');
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
