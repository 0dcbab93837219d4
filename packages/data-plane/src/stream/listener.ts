import net from 'node:net';
import type tls from 'node:tls';
import type { TlsClientHelloMessage } from 'read-tls-client-hello';
import type { Engine } from '../engine/engine';
import type { Logger } from '../logging';
import { prereadClientHello, type Preread } from './client-hello';
import type { StreamListenAddress } from './listen-setting';
import { runSession, type SessionObserver } from './session';
import { streamRouterOf } from './stream-router';

/** nginx's `preread_timeout`: how long an `ssl` stream listener waits for the client's ClientHello. */
const PREREAD_TIMEOUT_MS = 30_000;

/** The certificate a TLS-terminating stream listener presents: chosen by the client's SNI (null when it sent none) and ClientHello. Throws when the one an SNI names cannot be served. */
export type StreamCertificates = (sni: string | null, hello: TlsClientHelloMessage) => tls.SecureContext;

/** What a stream listener needs from the data plane. */
export interface StreamDeps {
  engine: Engine;
  log: Logger;
  /** Called once per finished session (analytics). */
  observers: readonly SessionObserver[];
  /** For `ssl` listeners: the certificate of a `tls` route's connection. */
  certificates: StreamCertificates | null;
}

/** An open stream listener. */
export interface StreamListener {
  readonly address: StreamListenAddress;
  readonly port: number;
  /** Stops accepting, waits up to `timeoutMs` for the open sessions to end, then closes what is left. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Handles one accepted connection: routes it (a plain listener's as `tcp`;
 * an `ssl` listener's by its ClientHello's SNI, as `tls` or
 * `tls_passthrough` by the route) and runs the session. Never throws: a
 * failure closes the connection and is counted.
 */
async function handle(socket: net.Socket, address: StreamListenAddress, deps: StreamDeps, started: number): Promise<void> {
  const base = {
    sourceIp: socket.remoteAddress ?? '',
    sourcePort: socket.remotePort ?? 0,
    destinationIp: socket.localAddress ?? '',
    destinationPort: socket.localPort ?? 0,
  };
  const session = { socket, started, observers: deps.observers, log: deps.log };
  if (!address.ssl) {
    const compiled = deps.engine.compiled;
    const route = compiled === null ? null : streamRouterOf(compiled.config).match({ ...base, accept: 'tcp', sni: null });
    await runSession({ ...session, compiled, route, mode: 'tcp' });
    return;
  }
  let hello: Preread;
  try {
    hello = await prereadClientHello(socket, PREREAD_TIMEOUT_MS);
  } catch {
    hello = { tls: false };
  }
  // Read after the ClientHello came: the config serving now.
  const compiled = deps.engine.compiled;
  if (!hello.tls) {
    await runSession({ ...session, compiled, route: null, mode: 'tcp', refuse: 400 });
    return;
  }
  const route = compiled === null ? null : streamRouterOf(compiled.config).match({ ...base, accept: 'tls', sni: hello.sni });
  if (route?.protocols.has('tls_passthrough') === true) await runSession({ ...session, compiled, route, mode: 'passthrough' });
  else if (deps.certificates === null) await runSession({ ...session, compiled, route, mode: 'tcp', refuse: 500 });
  else {
    let secureContext: tls.SecureContext;
    try {
      secureContext = deps.certificates(hello.sni, hello.hello);
    } catch (err) {
      // Kong fails the handshake when the certificate an SNI names cannot be set.
      deps.log.error({ event: 'tls_certificate_failed', servername: hello.sni, error: err instanceof Error ? err.message : String(err) });
      await runSession({ ...session, compiled, route, mode: 'tcp', refuse: 400 });
      return;
    }
    await runSession({ ...session, compiled, route, mode: 'terminate', secureContext, sni: hello.sni });
  }
}

/**
 * Opens one entry of GATEHOUSE_STREAM_LISTEN (Kong's `stream_listen`): a TCP
 * listener whose connections are matched to stream routes and proxied to
 * their services (docs/PROXY.md, Streams).
 */
export async function startStreamListener(address: StreamListenAddress, deps: StreamDeps): Promise<StreamListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handle(socket, address, deps, performance.now()).catch((err: unknown) => {
      deps.log.error({ event: 'stream_session_failed', error: err instanceof Error ? err.message : String(err) });
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port, backlog: address.backlog }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    address,
    port,
    async close(timeoutMs = 10_000) {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + timeoutMs;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const s of sockets) s.destroy();
      await stopped;
    },
  };
}
