import net from 'node:net';
import tls from 'node:tls';
import { LossCounter, MAX_PENDING_BYTES } from '../log-serializer/stream-writer';
import type { TcpLogConfig } from './schema';

/**
 * One connection to a tcp-log peer, opened on the first entry and reopened
 * after an error or close; idle for `keepalive` ms it is closed. Entries
 * written while it connects wait in the socket's buffer; beyond 8 MiB
 * pending (a dead or slow peer) they are dropped, counted and logged.
 */
export class TcpLogConnection {
  private socket: net.Socket | null = null;

  constructor(
    private readonly conf: TcpLogConfig,
    private readonly loss: LossCounter,
  ) {}

  write(line: string): void {
    const s = this.socket ?? this.open();
    if (s.writableLength > MAX_PENDING_BYTES) {
      this.loss.drop(1, 'peer not keeping up');
      return;
    }
    s.write(line, (err) => {
      if (err) this.loss.drop(1, `tcp ${this.conf.host}:${this.conf.port}: ${err.message}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): net.Socket {
    const { host, port, timeout, keepalive } = this.conf;
    const socket = this.conf.tls
      ? tls.connect({ host, port, servername: this.conf.tls_sni ?? (net.isIP(host) ? undefined : host), rejectUnauthorized: false })
      : net.connect({ host, port });
    const connectTimer = setTimeout(() => socket.destroy(new Error(`connect timeout after ${timeout} ms`)), timeout);
    connectTimer.unref();
    socket.once(this.conf.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(keepalive, () => socket.end());
    });
    // Lines that could not be written are counted by their write callbacks.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(connectTimer);
      if (this.socket === socket) this.socket = null;
    });
    socket.on('data', () => undefined);
    socket.unref();
    this.socket = socket;
    return socket;
  }
}
