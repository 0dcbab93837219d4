import http from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import tls from 'node:tls';

const SWEEP_MS = 100;

interface Connection {
  /** Requests read on it and not yet answered. */
  active: number;
  idleSince: number;
  /** Handed to a WebSocket (or other upgrade): no longer HTTP, closed only at the drain's deadline. */
  upgraded: boolean;
}

export interface DrainOptions {
  /** Whatever is still open this long after the drain began is closed. */
  timeoutMs: number;
  /**
   * How long a keep-alive connection must have been idle before it is
   * closed: 0 for a stop (the port goes away anyway), about a second for a
   * reload, where the port stays open and clients move to the new workers.
   */
  idleGraceMs: number;
}

/** Closes a proxy listener gracefully (see `trackConnections`). */
export type Drain = (options: DrainOptions) => Promise<void>;

/**
 * Tracks a proxy server's connections so it can stop without failing a
 * request (a stop, or a reload handing the port to new workers). The drain
 * stops accepting; every answer not yet started, and every request arriving
 * on an open connection, is answered with `Connection: close`, so a
 * keep-alive client learns from the answer itself not to reuse the
 * connection; a connection idle for `idleGraceMs` is closed (HTTP/1.1 lets a
 * server close an idle connection at any time, RFC 9112 9.3.1; a client
 * sending on it at that very moment is the only race, as with any keep-alive
 * timeout, and a short one rather than none would race with every client
 * between two requests). Whatever is still open at the deadline is closed.
 * Resolves once every connection is closed. Call before the server listens
 * on anything else than its own 'request' handler, so it sees every request first.
 */
export function trackConnections(server: http.Server): Drain {
  const connections = new Map<Socket, Connection>();
  const unanswered = new Set<http.ServerResponse>();
  let draining = false;

  server.on(server instanceof https.Server ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now(), upgraded: false });
    socket.once('close', () => connections.delete(socket));
  });
  const begin = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const c = connections.get(req.socket);
    if (c) c.active++;
    if (draining) res.shouldKeepAlive = false;
    unanswered.add(res);
    res.once('close', () => {
      unanswered.delete(res);
      if (!c) return;
      c.active--;
      c.idleSince = Date.now();
    });
  };
  server.on('request', begin);
  server.on('checkContinue', begin);
  server.on('upgrade', (req: http.IncomingMessage) => {
    const c = connections.get(req.socket);
    if (c) c.upgraded = true;
  });

  return ({ timeoutMs, idleGraceMs }) =>
    new Promise<void>((resolve) => {
      draining = true;
      for (const res of unanswered) if (!res.headersSent) res.shouldKeepAlive = false;
      const sweep = (): void => {
        const idleBefore = Date.now() - idleGraceMs;
        // destroy, not end: a half-closed socket would still read a request that is on its way, run it, and fail to answer it (counted, never received).
        for (const [socket, c] of connections) if (!c.upgraded && c.active === 0 && c.idleSince <= idleBefore) socket.destroy();
      };
      sweep();
      const sweeper = setInterval(sweep, SWEEP_MS);
      const deadline = setTimeout(() => {
        server.closeAllConnections();
        for (const socket of connections.keys()) socket.destroy();
      }, timeoutMs);
      // Stop listening the net/tls way: http's own close() also ends every idle keep-alive connection at once, racing clients about to reuse them.
      const done = (): void => {
        clearInterval(sweeper);
        clearTimeout(deadline);
        resolve();
      };
      if (server instanceof https.Server) tls.Server.prototype.close.call(server, done);
      else net.Server.prototype.close.call(server, done);
    });
}
