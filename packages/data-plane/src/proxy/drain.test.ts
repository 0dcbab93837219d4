import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDrainable, type Drain } from './drain';

/** A server answering after `delayMs` (never with null), with the drain tracking it from the start. */
async function serve(delayMs: number | null): Promise<{ server: http.Server; port: number; drain: Drain }> {
  const drainable = createDrainable();
  const server = http.createServer({ ServerResponse: drainable.ServerResponse });
  server.keepAliveTimeout = 60_000;
  const drain = drainable.track({ http1: [server], socketEvent: 'connection', http2: [], listening: server });
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (delayMs !== null) setTimeout(() => res.end('ok'), delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, drain };
}

function get(port: number, agent: http.Agent): Promise<{ connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

// The reload's drain (docs/DATA-PLANE.md, Reload): Node's own close() ends idle keep-alive connections at once and leaves busy ones open without a word.
describe('draining a proxy listener', () => {
  it('answers the open request with Connection: close, and resolves once it is done', async () => {
    const { port, drain } = await serve(200);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, agent)).connection).toBe('keep-alive');
    const open = get(port, agent);
    await new Promise((r) => setTimeout(r, 50));
    const drained = drain({ timeoutMs: 10_000, idleGraceMs: 1000 });
    expect(await open).toEqual({ connection: 'close', body: 'ok' });
    await drained;
    agent.destroy();
  });

  it('keeps an idle keep-alive connection through the grace, answering a request on it with Connection: close', async () => {
    const { port, drain } = await serve(0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await get(port, agent);
    let done = false;
    const drained = drain({ timeoutMs: 10_000, idleGraceMs: 1000 }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    // The client reuses its connection within the grace: served, and told to close it.
    expect(await get(port, agent)).toEqual({ connection: 'close', body: 'ok' });
    await drained;
    agent.destroy();
  });

  it('closes a connection idle past the grace, and everything at the deadline', async () => {
    const { port, drain } = await serve(null);
    const idle = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const quick = await serve(0);
    await get(quick.port, idle);
    const started = Date.now();
    await quick.drain({ timeoutMs: 10_000, idleGraceMs: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(5000);
    // A request that never ends is cut at the deadline.
    const stuck = get(port, new http.Agent({ keepAlive: true })).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    await drain({ timeoutMs: 300, idleGraceMs: 0 });
    expect(String(await stuck)).toMatch(/socket hang up|ECONNRESET/);
    idle.destroy();
  });
});
