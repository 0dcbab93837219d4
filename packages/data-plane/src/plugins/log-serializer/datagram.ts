import dgram from 'node:dgram';
import net from 'node:net';
import type { LossCounter } from './stream-writer';

/**
 * A UDP sender to one host and port (udp-log, syslog): one socket per
 * process and address family, unref'd; a send that fails (no route, an
 * oversized datagram) is counted as a loss.
 */
export class DatagramSender {
  private static sockets = new Map<string, dgram.Socket>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly loss: LossCounter,
  ) {}

  send(payload: string): void {
    const family = net.isIPv6(this.host.replace(/^\[|\]$/g, '')) ? 'udp6' : 'udp4';
    let socket = DatagramSender.sockets.get(family);
    if (socket === undefined) {
      socket = dgram.createSocket(family);
      socket.on('error', () => undefined);
      socket.unref();
      DatagramSender.sockets.set(family, socket);
    }
    socket.send(payload, this.port, this.host.replace(/^\[|\]$/g, ''), (err) => {
      if (err) this.loss.drop(1, `udp ${this.host}:${this.port}: ${err.message}`);
    });
  }
}
