import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

/**
 * A TCP upstream that answers every chunk with `<tag>:<chunk>`, and ends when
 * the client does (half close). A TLS one (`secure`) tags with the server name
 * its client sent too: `<tag>[<sni>]:<chunk>` (`-` for none).
 */
export async function startTaggedServer(tag: string, secure?: { cert: string; key: string }): Promise<{ port: number; close(): void }> {
  const onSocket = (socket: net.Socket): void => {
    const sni = socket instanceof tls.TLSSocket ? `[${typeof socket.servername === 'string' ? socket.servername : '-'}]` : '';
    socket.on('data', (d: Buffer) => socket.write(`${tag}${sni}:${d.toString()}`));
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
  };
  const server = secure
    ? tls.createServer({ cert: fs.readFileSync(secure.cert), key: fs.readFileSync(secure.key), allowHalfOpen: true }, onSocket)
    : net.createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

export interface Exchange {
  reply: string;
  /** The CN of the certificate the client saw (TLS). */
  peer?: string;
  ms: number;
}

/** Connects, sends `data`, ends its side (FIN), and collects what comes back until the proxy closes the connection. */
export function exchange(port: number, data: string | null, opts: { localAddress?: string; servername?: string; end?: boolean } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: net.Socket =
      opts.servername === undefined
        ? net.connect({ host: '127.0.0.1', port, localAddress: opts.localAddress, allowHalfOpen: true })
        : tls.connect({ host: '127.0.0.1', port, servername: opts.servername, rejectUnauthorized: false });
    const chunks: Buffer[] = [];
    let peer: string | undefined;
    socket.once(opts.servername === undefined ? 'connect' : 'secureConnect', () => {
      if (socket instanceof tls.TLSSocket) peer = String(socket.getPeerCertificate().subject.CN);
      if (data !== null) socket.write(data);
      if (opts.end !== false) socket.end();
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    // The proxy ended the connection: end ours too, so it closes.
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
    socket.once('close', () => resolve({ reply: Buffer.concat(chunks).toString(), peer, ms: Date.now() - started }));
    setTimeout(() => reject(new Error(`no close from :${port} within 10 s`)), 10_000).unref();
  });
}
