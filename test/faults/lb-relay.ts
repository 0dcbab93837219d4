import net from 'node:net';

/**
 * A TCP load balancer the test controls, in front of several backends (two
 * CPs' admin ports, or their cluster ports): each new connection goes to the
 * next backend in turn, and to the one after when a backend refuses (as
 * HAProxy or a cloud load balancer with retries on connect failure would).
 * TLS passes through untouched. It never cuts a relayed connection itself:
 * when one side closes, it closes the other.
 */
export class LbRelay {
  private readonly sockets = new Set<net.Socket>();
  private next = 0;
  /** Connections relayed, by backend port. */
  readonly relayed = new Map<number, number>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly backends: readonly { host: string; port: number }[],
  ) {}

  static async start(backends: { host: string; port: number }[]): Promise<LbRelay> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const relay = new LbRelay(server, (server.address() as net.AddressInfo).port, backends);
    server.on('connection', (client) => relay.accept(client));
    return relay;
  }

  private accept(client: net.Socket): void {
    client.pause();
    this.track(client);
    const first = this.next++ % this.backends.length;
    const tryBackend = (i: number): void => {
      if (i === this.backends.length || client.destroyed) {
        client.destroy();
        return;
      }
      const target = this.backends[(first + i) % this.backends.length]!;
      const upstream = net.connect(target.port, target.host);
      const onError = (): void => {
        upstream.destroy();
        tryBackend(i + 1);
      };
      upstream.once('error', onError);
      upstream.once('connect', () => {
        upstream.off('error', onError);
        upstream.on('error', () => undefined);
        this.track(upstream);
        this.relayed.set(target.port, (this.relayed.get(target.port) ?? 0) + 1);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.resume();
      });
    };
    tryBackend(0);
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
