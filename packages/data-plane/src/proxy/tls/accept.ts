import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import type tls from 'node:tls';
import { getExtensionData, readTlsClientHello } from 'read-tls-client-hello';
import type { Logger } from '../../logging';
import { preferredKeyType } from './key-choice';
import type { ServedCertificate } from './served-certificate';

/** How the TLS listener takes a connection: its certificates and handshake deadline. */
export interface TlsAcceptOptions {
  /** The default certificate: for a client that sends no SNI, or one no SNI of the group names. */
  fallback: ServedCertificate;
  /** The certificate the group's SNIs give a server name (undefined: the default); throws when it cannot be served. */
  select?: (servername: string) => ServedCertificate | undefined;
  /** A connection that sends no ClientHello within this is closed. */
  helloMs: number;
  log: Logger;
}

/** The two TLS servers a listener hands its connections to (neither listens itself). */
export interface TlsTargets {
  /** Connections with an SNI: no certificate of its own, its SNICallback installs the one chosen here. */
  withSni: EventEmitter;
  /** Connections without an SNI: the default certificate(s), OpenSSL choosing among them. */
  withoutSni: EventEmitter;
}

/** The `withSni` server's SNICallback, and what starts accepting on a listening server. */
export interface TlsAcceptor {
  sniCallback: (this: tls.TLSSocket, servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void) => void;
  accept(listening: net.Server, targets: TlsTargets): void;
}

function connectionKey(s: { remoteAddress?: string; remotePort?: number }): string {
  return `${s.remoteAddress ?? ''}|${s.remotePort ?? 0}`;
}

/**
 * Accepts the TLS listener's connections itself, so the certificate is
 * chosen from the whole ClientHello, read before the handshake without
 * consuming it (read-tls-client-hello): its SNI picks the group's
 * certificate (Kong's exact / wildcard / default order, tls/sni-certificates.ts),
 * its signature algorithms the ECDSA or the RSA pair of it. Node's
 * SNICallback installs one certificate of the context it is given over the
 * server's own, leaving the server's other key type in place; so the server
 * that takes connections with an SNI has no certificate of its own, and its
 * SNICallback (`sniCallback`) installs the one picked here. Connections
 * without an SNI go to a server with the default certificates.
 */
export function createTlsAcceptor(options: TlsAcceptOptions): TlsAcceptor {
  const chosen = new Map<string, tls.SecureContext>();
  const accept = (listening: net.Server, targets: TlsTargets): void => {
    listening.on('connection', (socket: net.Socket) => {
      const giveUp = (): void => {
        socket.destroy();
      };
      socket.on('error', giveUp);
      const timer = setTimeout(giveUp, options.helloMs);
      readTlsClientHello(socket).then(
        (hello) => {
          clearTimeout(timer);
          socket.removeListener('error', giveUp);
          if (socket.destroyed) return;
          const servername = getExtensionData(hello, 0x0000)?.serverName;
          if (servername === undefined || servername === '') return void targets.withoutSni.emit('connection', socket);
          let served = options.fallback;
          try {
            served = options.select?.(servername) ?? served;
          } catch (err) {
            // Kong fails the handshake when the certificate an SNI names cannot be set.
            options.log.error({ event: 'tls_certificate_failed', servername, error: (err as Error).message });
            return giveUp();
          }
          const key = connectionKey(socket);
          chosen.set(key, served.pick(preferredKeyType(hello)));
          socket.once('close', () => chosen.delete(key));
          targets.withSni.emit('connection', socket);
        },
        () => {
          // Not TLS, or the connection closed before its ClientHello.
          clearTimeout(timer);
          giveUp();
        },
      );
    });
  };
  // Node calls it with the server-side TLSSocket as `this`; its address and port are the raw socket's.
  function sniCallback(this: tls.TLSSocket, _servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void): void {
    const key = connectionKey(this);
    const context = chosen.get(key) ?? options.fallback.pick(null);
    chosen.delete(key);
    cb(null, context);
  }
  return { sniCallback, accept };
}
