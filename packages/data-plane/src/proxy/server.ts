import type { EventEmitter } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { applyClientTimeouts, clientTimeoutServerOptions, DEFAULT_CLIENT_TIMEOUTS, guardRequestBodies, type ClientTimeouts } from './client-timeouts';
import { createProxyHandler, type ProxyDeps } from './handler';
import { createDrainable, type Drainable, type DrainedServers, type DrainOptions } from './drain';
import { dispatchByPreface } from './h2c-preface';
import { createTlsAcceptor } from './tls/accept';
import { ServedCertificate } from './tls/served-certificate';
import type { ProxyListenAddress } from './listen-flags';
import { createUpgradeHandler } from './websocket';

/** A listening proxy server. */
export interface ProxyListener {
  /** The server that owns the port. */
  server: net.Server;
  scheme: 'http' | 'https';
  port: number;
  /** Whether it speaks HTTP/2 (ALPN h2 on TLS, prior knowledge on plain). */
  http2: boolean;
  /**
   * Stops accepting and closes every connection gracefully: open requests are
   * answered (with `Connection: close` on HTTP/1.1, after a GOAWAY on
   * HTTP/2), idle keep-alive connections closed (at once by default, as
   * before a stop), anything left at the timeout closed (proxy/drain.ts).
   */
  close(options?: Partial<DrainOptions>): Promise<void>;
}

/** The TLS listener's certificates: the default pair(s), and the SNI selection among the group's (proxy/tls/). */
export interface ProxyTlsOptions {
  /** The default certificate chain(s) and key(s): one RSA and one ECDSA pair may be given together (ALPN-independent, chosen by the client's signature algorithms). */
  cert: (string | Buffer)[];
  key: (string | Buffer)[];
  /** The certificate for a client's server name, or undefined for the default (Kong's certificate selection); throws when it cannot be served. */
  select?: (servername: string) => ServedCertificate | undefined;
}

/** GATEHOUSE_DRAIN_TIMEOUT_MS's default. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** nginx's (and so Kong's) client keep-alive of 60 s, for HTTP/1.1 connections and idle HTTP/2 sessions alike. */
const KEEPALIVE_MS = 60_000;

function tune(server: http.Server, timeouts: ClientTimeouts): void {
  // No overall request deadline: the upstream timeouts govern.
  server.keepAliveTimeout = KEEPALIVE_MS;
  applyClientTimeouts(server, timeouts);
}

/** An HTTP/2 session with no stream for the keep-alive time is closed gracefully (GOAWAY), as nginx's keepalive_timeout does. */
function closeIdleSessions(server: http2.Http2Server | http2.Http2SecureServer): void {
  server.on('session', (session: http2.ServerHttp2Session) => {
    session.setTimeout(KEEPALIVE_MS, () => session.close());
  });
}

interface Built {
  servers: DrainedServers;
  /** Where requests (HTTP/1.1 and HTTP/2) are emitted. */
  requestEmitters: EventEmitter[];
  /** Where WebSocket upgrades are emitted (HTTP/1.1 only). */
  upgradeEmitters: EventEmitter[];
}

/** One TLS server (not listening: tls/accept.ts hands it its connections), HTTP/1.1 alone or with HTTP/2 (ALPN `h2`). */
function tlsServer(
  http2Enabled: boolean,
  secure: tls.TlsOptions,
  timeouts: ClientTimeouts,
  options: ReturnType<typeof clientTimeoutServerOptions> & { ServerResponse: Drainable['ServerResponse'] },
): https.Server | http2.Http2SecureServer {
  if (!http2Enabled) {
    const server = https.createServer({ ...options, ...secure });
    tune(server, timeouts);
    return server;
  }
  const server = http2.createSecureServer({ ...secure, allowHTTP1: true, Http1ServerResponse: options.ServerResponse as typeof http.ServerResponse });
  // The HTTP/1.1 side reads these from the server as http.Server does.
  Object.assign(server, { keepAliveTimeout: KEEPALIVE_MS, connectionsCheckingInterval: options.connectionsCheckingInterval });
  applyClientTimeouts(server as unknown as http.Server, timeouts);
  closeIdleSessions(server);
  return server;
}

/**
 * The servers of one listener. Plain: one http.Server as before (the
 * HTTP/1.1 fast path is untouched); plain with `http2`: a net.Server hands
 * each connection to an http.Server or, on the HTTP/2 preface, to an
 * http2 server. TLS: a net.Server reads each ClientHello and hands the
 * connection to one of two TLS servers, one installing the certificate its
 * SNI selects, one with the default certificates (tls/accept.ts); each an
 * https.Server, or with `http2` an HTTP/2 secure server that also speaks
 * HTTP/1.1 (ALPN `h2`, `http/1.1`) with the same drain-aware responses and
 * timeouts.
 */
function build(
  address: ProxyListenAddress,
  tlsOptions: ProxyTlsOptions | undefined,
  timeouts: ClientTimeouts,
  ServerResponse: Drainable['ServerResponse'],
  log: ProxyDeps['log'],
): Built {
  const options = { ...clientTimeoutServerOptions(timeouts), ServerResponse };
  const listening = net.createServer();
  if (tlsOptions !== undefined) {
    const fallback = new ServedCertificate(tlsOptions.cert.map((cert, i) => ({ cert: String(cert), key: String(tlsOptions.key[i] ?? '') })));
    const acceptor = createTlsAcceptor({ fallback, select: tlsOptions.select, helloMs: timeouts.headerMs, log });
    const alpn = address.http2 ? ['h2', 'http/1.1'] : ['http/1.1'];
    const withSni = tlsServer(address.http2, { SNICallback: acceptor.sniCallback, ALPNProtocols: alpn }, timeouts, options);
    const withoutSni = tlsServer(address.http2, { cert: tlsOptions.cert, key: tlsOptions.key, ALPNProtocols: alpn }, timeouts, options);
    acceptor.accept(listening, { withSni, withoutSni });
    // Node's HTTP servers start their header-timeout checks when they listen; these are handed their connections instead.
    listening.once('listening', () => {
      withSni.emit('listening');
      withoutSni.emit('listening');
    });
    const both = [withSni, withoutSni];
    return {
      servers: { http1: both, socketEvent: 'secureConnection', http2: address.http2 ? both : [], listening },
      requestEmitters: both,
      upgradeEmitters: both,
    };
  }
  const server = http.createServer(options);
  tune(server, timeouts);
  if (!address.http2)
    return { servers: { http1: [server], socketEvent: 'connection', http2: [], listening: server }, requestEmitters: [server], upgradeEmitters: [server] };
  const h2c = http2.createServer();
  guardRequestBodies(h2c, timeouts.bodyMs);
  closeIdleSessions(h2c);
  dispatchByPreface(listening, server, h2c, timeouts.headerMs);
  listening.once('listening', () => server.emit('listening'));
  return { servers: { http1: [server], socketEvent: 'connection', http2: [h2c], listening }, requestEmitters: [server, h2c], upgradeEmitters: [server] };
}

/**
 * Starts a proxy listener (plain, or TLS when `tls` is given; HTTP/2 too
 * when the address has Kong's `http2` flag) on `address` and resolves once
 * it is bound. The port it answers with is the real one (useful with port
 * 0). `close` stops accepting and drains the connections.
 */
export function startProxyListener(
  deps: ProxyDeps,
  address: ProxyListenAddress,
  tlsOptions?: ProxyTlsOptions,
  timeouts: ClientTimeouts = DEFAULT_CLIENT_TIMEOUTS,
): Promise<ProxyListener> {
  const scheme = tlsOptions ? 'https' : 'http';
  const drainable = createDrainable();
  const built = build(address, tlsOptions, timeouts, drainable.ServerResponse, deps.log);
  const server = built.servers.listening;
  // Before any other listener, so the drain sees every request first.
  const drain = drainable.track(built.servers);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: address.port, host: address.host, backlog: address.backlog, ipv6Only: address.ipv6Only }, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const listener = { scheme, port } as const;
      const handle = createProxyHandler(deps, listener);
      for (const emitter of built.requestEmitters) {
        emitter.on('request', handle);
        // Without this listener Node answers 100 Continue itself, before a plugin could refuse the body (417).
        emitter.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res, true));
      }
      const upgrade = createUpgradeHandler(deps, listener);
      for (const emitter of built.upgradeEmitters) emitter.on('upgrade', upgrade);
      resolve({
        server,
        scheme,
        port,
        http2: address.http2,
        close: (options = {}) => drain({ timeoutMs: DEFAULT_DRAIN_TIMEOUT_MS, idleGraceMs: 0, ...options }),
      });
    });
  });
}
