import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import { tempDir } from '../support/processes';
import { applyConfig, makeCertificate, request, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';

/** The TLS server name the upstream saw, or '' for none. */
function sniOf(socket: unknown): string {
  const name = (socket as TLSSocket).servername;
  return typeof name === 'string' ? name : '';
}

/** Asks the proxy for `path` over WebSocket with `host` as Host, and answers the upstream's first message. */
function wsFirstMessage(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { host }, handshakeTimeout: 5000 });
    // One text frame with the default binaryType ('nodebuffer') arrives as a Buffer.
    ws.once('message', (data: Buffer) => {
      resolve(data.toString());
      ws.close();
    });
    ws.once('error', reject);
  });
}

// Kong sends the upstream Host header's name as SNI (`proxy_ssl_name $upstream_host`):
// the service host, or the client's host when the route preserves it.
describe('proxy: TLS server name sent to https and wss upstreams', () => {
  let upstream: https.Server;
  let wss: WebSocketServer;
  let port: number;
  let dp: DataPlane;
  let base: string;
  let wsBase: string;

  beforeAll(async () => {
    const { cert, key } = makeCertificate(tempDir('gatehouse-upstream-tls-'), 'localhost');
    upstream = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ sni: sniOf(req.socket), host: req.headers.host }));
    });
    wss = new WebSocketServer({ server: upstream });
    wss.on('connection', (socket, req) => socket.send(`sni:${sniOf(req.socket)}`));
    await new Promise<void>((r) => upstream.listen(0, r));
    port = (upstream.address() as AddressInfo).port;
    dp = await startTestDataPlane();
    base = `http://127.0.0.1:${dp.proxyPort}`;
    wsBase = `ws://127.0.0.1:${dp.proxyPort}`;
    const byName = service({ protocol: 'https', host: 'localhost', port });
    const byIp = service({ protocol: 'https', host: '127.0.0.1', port });
    const wsByName = service({ protocol: 'wss', host: 'localhost', port });
    applyConfig(
      dp,
      gateway({
        services: [byName, byIp, wsByName],
        routes: [
          route({ service: byName, paths: ['/service-host'] }),
          route({ service: byName, paths: ['/client-host'], preserve_host: true }),
          route({ service: byIp, paths: ['/ip-literal'] }),
          route({ service: wsByName, paths: ['/ws-service-host'], protocols: ['ws', 'wss'] }),
          route({ service: wsByName, paths: ['/ws-client-host'], protocols: ['ws', 'wss'], preserve_host: true }),
        ],
      }),
    );
  });
  afterAll(async () => {
    await dp.stop();
    wss.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('sends the service host as SNI without preserve_host', async () => {
    const res = await request(`${base}/service-host`, { headers: { host: 'api.example.test:8000' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ sni: 'localhost', host: `localhost:${port}` });
  });

  it('sends the client host (without its port) as SNI with preserve_host', async () => {
    const res = await request(`${base}/client-host`, { headers: { host: 'api.example.test:8000' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ sni: 'api.example.test', host: 'api.example.test:8000' });
  });

  it('sends no SNI to a service addressed by an IP literal', async () => {
    const res = await request(`${base}/ip-literal`);
    expect(res.status).toBe(200);
    expect(res.json.sni).toBe('');
  });

  it('follows the same rule for WebSocket upstreams', async () => {
    expect(await wsFirstMessage(`${wsBase}/ws-service-host`, 'api.example.test:8000')).toBe('sni:localhost');
    expect(await wsFirstMessage(`${wsBase}/ws-client-host`, 'api.example.test:8000')).toBe('sni:api.example.test');
  });
});
