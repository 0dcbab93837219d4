import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { rawExchange, startRecordingUpstream } from '../fuzz/raw-http';
import { gateway, route, service } from '../support/config-builder';
import { applyConfig, startTestDataPlane } from './support';

/**
 * docs/PROXY.md (Routing, header matching): route `headers` conditions see
 * every line of a header as Kong does, including the headers whose repeated
 * lines Node keeps only the first of in `req.headers` (User-Agent,
 * Authorization…); a line containing commas is one value. Sent from raw
 * sockets so the header lines are exactly these.
 */
describe('proxy: route header conditions read every header line', () => {
  let dp: DataPlane & { dir: string };
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    dp = await startTestDataPlane();
    const svc = service({ name: 'up', host: '127.0.0.1', port: upstream.port });
    applyConfig(
      dp,
      gateway({
        services: [svc],
        routes: [
          route({ service: svc, name: 'ua', paths: ['/ua'], headers: { 'user-agent': ['~*linux'] } }),
          route({ service: svc, name: 'auth', paths: ['/auth'], headers: { authorization: ['Bearer b'] } }),
          route({ service: svc, name: 'client', paths: ['/client'], headers: { 'x-client': ['mobile-3'] } }),
          route({ service: svc, name: 'under', paths: ['/under'], headers: { user_agent: ['~*bsd'] } }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp?.stop();
    await upstream?.close();
  });

  async function status(path: string, headerLines: string[]): Promise<number> {
    const head = [`GET ${path} HTTP/1.1`, 'Host: gw.test', ...headerLines, 'Connection: close', '', ''].join('\r\n');
    return (await rawExchange(dp.proxyPort, [head])).status;
  }

  it('matches on the second User-Agent line (Node keeps only the first in req.headers)', async () => {
    expect(await status('/ua', ['User-Agent: curl/8.5', 'User-Agent: Mozilla/5.0 (X11; Linux x86_64)'])).toBe(200);
    expect(await status('/ua', ['User-Agent: curl/8.5'])).toBe(404);
  });

  it('matches on any Authorization line', async () => {
    expect(await status('/auth', ['Authorization: Bearer a', 'Authorization: Bearer b'])).toBe(200);
    expect(await status('/auth', ['Authorization: Bearer a', 'Authorization: Bearer c'])).toBe(404);
  });

  it('takes a line with commas as one value, and separate lines as separate values', async () => {
    expect(await status('/client', ['X-Client: desktop, mobile-3'])).toBe(404);
    expect(await status('/client', ['X-Client: desktop', 'X-Client: mobile-3'])).toBe(200);
  });

  it("reads a route header name with '_' as the header with '-', as Kong", async () => {
    expect(await status('/under', ['User-Agent: FreeBSD fetch'])).toBe(200);
    expect(await status('/under', ['User-Agent: curl/8.5'])).toBe(404);
  });
});
