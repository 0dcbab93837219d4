import net from 'node:net';

/**
 * A TCP relay the test controls, standing between a DP and the CP's cluster
 * port: `cut()` drops every connection and refuses new ones (a network
 * failure), `restore()` lets connections through again on the same port.
 * TLS passes through untouched, so certificates are checked end to end.
 */
export class TcpRelay {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | null = null;
  /** Connections relayed so far (each DP reconnection is one more). */
  connections = 0;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<TcpRelay> {
    const probe = net.createServer();
    const chosen = port || (await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port))));
    await new Promise<void>((r) => (probe.listening ? probe.close(() => r()) : r()));
    const relay = new TcpRelay(chosen, target);
    await relay.restore();
    return relay;
  }

  /** Starts accepting and relaying again. */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      this.connections++;
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Drops every relayed connection (RST, as a failed link would) and refuses new ones until restore(). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  close(): Promise<void> {
    return this.cut();
  }
}
