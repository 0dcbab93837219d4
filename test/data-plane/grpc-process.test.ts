import { freePort, tempDir } from '../support/processes';
import { makeCertificate, startBuiltDataPlane, writeConfigCache, type BuiltDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import { echoClient, grpc, startGrpcUpstream, unary, type EchoClient, type EchoReply, type GrpcUpstream } from '../support/grpc-upstream';

const ECHO = '/gatehouse.test.Echo/';

/** gRPC through the built DP process (dist/main.js) with two proxy workers, serving its cached config. */
describe('data plane process: gRPC with GATEHOUSE_WORKERS=2', () => {
  let upstream: GrpcUpstream;
  let dp: BuiltDataPlane;
  let client: EchoClient;

  beforeAll(async () => {
    upstream = await startGrpcUpstream();
    const dir = tempDir('gatehouse-grpc-proc-');
    const certs = makeCertificate(dir, 'dp');
    const svc = service({ protocol: 'grpc', port: upstream.port });
    const down = service({ protocol: 'grpc', port: await freePort(), retries: 0 });
    writeConfigCache(
      dir,
      gateway({
        services: [svc, down],
        routes: [
          route({ service: svc, protocols: ['grpc', 'grpcs'], paths: [ECHO], strip_path: false }),
          route({ service: down, protocols: ['grpc', 'grpcs'], paths: [ECHO], headers: { 'x-case': ['down'] }, strip_path: false }),
        ],
      }),
      1,
    );
    const port = await freePort();
    dp = await startBuiltDataPlane(dir, certs, { GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${port} http2`, GATEHOUSE_WORKERS: '2' }, 30_000);
    client = echoClient(`127.0.0.1:${port}`);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await dp?.proc.stop();
    await upstream?.close();
  });

  it('proxies unary and bidi calls over h2c, and answers a stopped upstream as INTERNAL', async () => {
    for (let i = 0; i < 4; i++) {
      const reply = await unary(client, { message: `n${i}` });
      if (reply instanceof Error) throw reply;
      expect(reply.message).toBe(`echo:n${i}`);
    }
    const call = client.Bidi();
    const first = new Promise<EchoReply>((resolve) => call.once('data', resolve));
    call.write({ message: 'both ways' });
    expect((await first).message).toBe('echo:both ways');
    call.end();

    const md = new grpc.Metadata();
    md.set('x-case', 'down');
    const failed = await unary(client, { message: 'x' }, md);
    if (!(failed instanceof Error)) throw new Error('expected an error');
    expect(failed.code).toBe(grpc.status.INTERNAL);
    expect(failed.details).toBe('An invalid response was received from the upstream server');
  });
});
