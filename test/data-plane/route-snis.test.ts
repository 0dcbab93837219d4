import https from 'node:https';
import { applyConfig, makeCertificate, request, startEcho, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { tempDir } from '../support/processes';

/** An HTTPS GET sending `servername` as SNI (none for null); resolves with the path the echo upstream saw. */
function viaSni(port: number, path: string, servername: string | null): Promise<{ status: number; path: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: '127.0.0.1', port, path, servername: servername ?? undefined, headers: { host: 'api.test' }, agent: false, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, path: (JSON.parse(body || '{}') as { path?: string }).path }));
      },
    );
    req.on('error', reject);
  });
}

describe('HTTP routes matched by the TLS server name (route snis)', () => {
  let dp: DataPlane;
  let echo: Awaited<ReturnType<typeof startEcho>>;

  beforeAll(async () => {
    echo = await startEcho();
    const { cert, key } = makeCertificate(tempDir('gatehouse-route-snis-'), 'localhost');
    dp = await startTestDataPlane({ GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0', GATEHOUSE_PROXY_TLS_CERT: cert, GATEHOUSE_PROXY_TLS_CERT_KEY: key });
    const bySni = service({ port: echo.port, path: '/by-sni' });
    const byPath = service({ port: echo.port, path: '/by-path' });
    applyConfig(
      dp,
      gateway({
        services: [bySni, byPath],
        routes: [route({ service: bySni, protocols: ['http', 'https'], snis: ['*.sni.test'], paths: ['/'] }), route({ service: byPath, paths: ['/'] })],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  it('takes the route whose snis name the server name, on HTTPS only', async () => {
    const port = dp.proxyTlsPort ?? 0;
    expect(await viaSni(port, '/x', 'a.sni.test')).toEqual({ status: 200, path: '/by-sni/x' });
    expect(await viaSni(port, '/x', 'other.test')).toEqual({ status: 200, path: '/by-path/x' });
    expect(await viaSni(port, '/x', null)).toEqual({ status: 200, path: '/by-path/x' });
    // Plain HTTP has no server name: the condition is not checked (Kong), and the route with more conditions wins.
    expect((await request(`http://127.0.0.1:${dp.proxyPort}/x`)).json.path).toBe('/by-sni/x');
  });
});
