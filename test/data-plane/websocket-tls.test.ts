import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { applyConfig, makeCertificate, request, startEcho, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { tempDir } from '../support/processes';

/** Opens a WebSocket, sends one message and resolves with the first reply and the handshake headers. */
function roundTrip(url: string, message: string): Promise<{ reply: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false, handshakeTimeout: 5000 });
    let headers: Record<string, string | string[] | undefined> = {};
    ws.once('upgrade', (res) => (headers = res.headers));
    ws.once('open', () => ws.send(message));
    // One text frame with the default binaryType ('nodebuffer') arrives as a Buffer.
    ws.once('message', (data: Buffer) => {
      resolve({ reply: data.toString(), headers });
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe('proxy: WebSocket upgrades and the HTTPS listener', () => {
  let wss: WebSocketServer;
  let wsPort: number;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;

  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wsPort = (wss.address() as AddressInfo).port;
    wss.on('connection', (socket, req) =>
      socket.on('message', (m: Buffer) => socket.send(`echo:${m.toString()} path:${req.url} fwd:${String(req.headers['x-forwarded-proto'])}`)),
    );
    echo = await startEcho();
    const { cert, key } = makeCertificate(tempDir('gatehouse-tls-'), 'localhost');
    dp = await startTestDataPlane({ GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0', GATEHOUSE_PROXY_TLS_CERT: cert, GATEHOUSE_PROXY_TLS_CERT_KEY: key });
    const wsService = service({ protocol: 'ws', port: wsPort });
    const httpService = service({ port: echo.port });
    applyConfig(
      dp,
      gateway({
        services: [wsService, httpService],
        routes: [
          route({ service: wsService, paths: ['/chat'], protocols: ['ws', 'wss'] }),
          route({ service: httpService, paths: ['/secure'], protocols: ['https'] }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    await echo.close();
    await new Promise<void>((r) => wss.close(() => r()));
  });

  it('proxies a WebSocket connection both ways to a ws service, stripping the route prefix', async () => {
    const { reply, headers } = await roundTrip(`ws://127.0.0.1:${dp.proxyPort}/chat/room1`, 'hi');
    expect(reply).toBe('echo:hi path:/room1 fwd:http');
    expect(headers['x-gatehouse-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('proxies wss on the TLS listener', async () => {
    const { reply } = await roundTrip(`wss://127.0.0.1:${dp.proxyTlsPort}/chat`, 'secure');
    expect(reply).toBe('echo:secure path:/ fwd:https');
  });

  it("answers a WebSocket handshake that matches no route with Kong's 404", async () => {
    await expect(roundTrip(`ws://127.0.0.1:${dp.proxyPort}/nowhere`, 'x')).rejects.toThrow(/404/);
  });

  it('serves HTTPS with the given certificate and tells the upstream the client used https', async () => {
    expect(dp.proxyTlsPort).not.toBeNull();
    const res = await request(`https://127.0.0.1:${dp.proxyTlsPort}/secure/x`);
    expect(res.status).toBe(200);
    expect(res.json.path).toBe('/x');
    expect(res.json.headers['x-forwarded-proto']).toBe('https');
    expect(res.json.headers['x-forwarded-port']).toBe(String(dp.proxyTlsPort));
  });
});
