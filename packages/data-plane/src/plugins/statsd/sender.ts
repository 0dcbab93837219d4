import dgram from 'node:dgram';
import net from 'node:net';

/** Logs a failed send (the plugin runtime's logger). */
export type SendFailure = (message: string) => void;

let udp4: dgram.Socket | null = null;
let udp6: dgram.Socket | null = null;

function udpSocket(ipv6: boolean): dgram.Socket {
  const existing = ipv6 ? udp6 : udp4;
  if (existing !== null) return existing;
  const s = dgram.createSocket(ipv6 ? 'udp6' : 'udp4');
  s.on('error', () => undefined);
  s.unref();
  if (ipv6) udp6 = s;
  else udp4 = s;
  return s;
}

/**
 * Packs lines into datagrams as Kong does with `udp_packet_size`: 0 sends one
 * line per datagram; otherwise lines joined by "\n" up to that many bytes (a
 * line longer than the size goes alone).
 */
export function packDatagrams(lines: readonly string[], packetSize: number): string[] {
  if (packetSize <= 0) return [...lines];
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    if (cur === '') cur = line;
    else if (Buffer.byteLength(cur) + 1 + Buffer.byteLength(line) <= packetSize) cur += `\n${line}`;
    else {
      out.push(cur);
      cur = line;
    }
  }
  if (cur !== '') out.push(cur);
  return out;
}

/**
 * Sends one request's lines to the StatsD server: UDP datagrams from one
 * shared unref'd socket, or (use_tcp) one short TCP connection with the lines
 * newline-terminated. Never throws and never waits: failures are logged.
 */
export function sendLines(host: string, port: number, lines: readonly string[], opts: { useTcp: boolean; packetSize: number }, fail: SendFailure): void {
  if (lines.length === 0) return;
  const addr = host.replace(/^\[|\]$/g, '');
  if (opts.useTcp) {
    const sock = net.connect({ host: addr, port });
    sock.setTimeout(1000, () => sock.destroy(new Error('timeout')));
    sock.on('error', (err) => fail(`[statsd] failed to send data to ${host}:${port}: ${err.message}`));
    sock.end(lines.map((l) => `${l}\n`).join(''));
    return;
  }
  const socket = udpSocket(net.isIPv6(addr));
  for (const d of packDatagrams(lines, opts.packetSize)) {
    socket.send(d, port, addr, (err) => {
      if (err) fail(`[statsd] failed to send data to ${host}:${port}: ${err.message}`);
    });
  }
}
