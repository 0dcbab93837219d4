import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '@gatehouse/protocol/node';
import { applyClientTimeouts, clientTimeoutServerOptions, DEFAULT_CLIENT_TIMEOUTS, type ClientTimeouts } from './client-timeouts';
import { createProxyHandler, type ProxyDeps } from './handler';
import { createDrainable, type DrainOptions } from './drain';
import { createUpgradeHandler } from './websocket';

/** A listening proxy server. */
export interface ProxyListener {
  server: http.Server;
  scheme: 'http' | 'https';
  port: number;
  /**
   * Stops accepting and closes every connection gracefully: open requests are
   * answered (with `Connection: close`), idle keep-alive connections closed
   * (at once by default, as before a stop), anything left at the timeout
   * closed (proxy/drain.ts).
   */
  close(options?: Partial<DrainOptions>): Promise<void>;
}

/** GATEHOUSE_DRAIN_TIMEOUT_MS's default. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

function tune(server: http.Server, timeouts: ClientTimeouts): void {
  // nginx's (and so Kong's) client keep-alive of 60 s; no overall request deadline: the upstream timeouts govern.
  server.keepAliveTimeout = 60_000;
  applyClientTimeouts(server, timeouts);
}

/**
 * Starts a proxy listener (plain, or TLS when `tls` is given) on `address`
 * and resolves once it is bound. The port it answers with is the real one
 * (useful with port 0). `close` stops accepting and drains the connections.
 */
export function startProxyListener(
  deps: ProxyDeps,
  address: ListenAddress,
  tls?: { certFile: string; keyFile: string },
  timeouts: ClientTimeouts = DEFAULT_CLIENT_TIMEOUTS,
): Promise<ProxyListener> {
  const scheme = tls ? 'https' : 'http';
  const drainable = createDrainable();
  const options = { ...clientTimeoutServerOptions(timeouts), ServerResponse: drainable.ServerResponse };
  const server = tls ? https.createServer({ ...options, cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }) : http.createServer(options);
  tune(server, timeouts);
  // Before any other listener, so the drain sees every request before the proxy answers it.
  const drain = drainable.track(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const listener = { scheme, port } as const;
      const handle = createProxyHandler(deps, listener);
      server.on('request', handle);
      // Without this listener Node answers 100 Continue itself, before a plugin could refuse the body (417).
      server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res, true));
      server.on('upgrade', createUpgradeHandler(deps, listener));
      resolve({
        server,
        scheme,
        port,
        close: (options = {}) => drain({ timeoutMs: DEFAULT_DRAIN_TIMEOUT_MS, idleGraceMs: 0, ...options }),
      });
    });
  });
}
