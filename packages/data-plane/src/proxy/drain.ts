import type { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Http2Session } from 'node:http2';
import net, { type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

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
 * A server built to drain: create it with `ServerResponse`, then `track` it.
 * An answer started while the drain runs carries `Connection: close` — the
 * response class decides that as it writes its head, so no request is kept
 * in any collection. (An earlier version held every unanswered response in a
 * Set: with a big config in the old generation, that Set's young entries were
 * promoted at each scavenge — about 1.5 KB a request — and cost the
 * 10,000-route DP a fifth of its throughput; docs/benchmarks.md.)
 */
export interface Drainable {
  ServerResponse: typeof http.ServerResponse<http.IncomingMessage>;
  /** Starts tracking a listener's connections; call before any other listener is added, so it sees every request first. */
  track(servers: DrainedServers): Drain;
}

/**
 * The servers of one proxy listener: where its HTTP/1.x requests and its
 * HTTP/2 sessions are emitted, and the server that owns the port. One
 * object can be all three (a TLS server speaking both; a plain HTTP/1.1
 * server); a plain listener with cleartext HTTP/2 has three.
 */
export interface DrainedServers {
  http1: (http.Server | EventEmitter)[];
  /** The `http1` event that hands over a connection: `connection`, or `secureConnection` after a TLS handshake. */
  socketEvent: 'connection' | 'secureConnection';
  http2: EventEmitter[];
  listening: net.Server;
}

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
 * The drain resolves once every connection is closed.
 */
export function createDrainable(): Drainable {
  let draining = false;

  class DrainAwareResponse extends http.ServerResponse {
    // Every head goes through writeHead (Node's implicit head too): the one place to say Connection: close.
    override writeHead(statusCode: number, ...rest: unknown[]): this {
      if (draining) this.shouldKeepAlive = false;
      return (super.writeHead as (code: number, ...more: unknown[]) => this).call(this, statusCode, ...rest);
    }
  }

  const track = ({ http1: servers, socketEvent, http2, listening }: DrainedServers): Drain => {
    const connections = new Map<Socket, Connection>();
    const onSocket = (socket: Socket | TLSSocket): void => {
      // An HTTP/2 connection drains as a session (GOAWAY), below.
      if ('alpnProtocol' in socket && socket.alpnProtocol === 'h2') return;
      connections.set(socket, { active: 0, idleSince: Date.now(), upgraded: false });
      socket.once('close', () => connections.delete(socket));
    };
    for (const server of servers) server.on(socketEvent, onSocket);
    // Where the port's owner hands connections on (TLS, cleartext HTTP/2), one may still be before its handover (a ClientHello, a handshake, a preface) at the deadline.
    const accepted = new Set<Socket>();
    if (!servers.includes(listening))
      listening.on('connection', (socket: Socket) => {
        accepted.add(socket);
        socket.once('close', () => accepted.delete(socket));
      });
    const sessions = new Set<Http2Session>();
    for (const server of http2)
      server.on('session', (session: Http2Session) => {
        sessions.add(session);
        session.once('close', () => sessions.delete(session));
        // Accepted just as the drain began: told at once not to send more.
        if (draining) session.close();
      });
    const begin = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      // An HTTP/2 request's socket is a stand-in, never in the map: its session drains as a whole.
      const c = connections.get(req.socket);
      if (!c) return;
      c.active++;
      res.once('close', () => {
        c.active--;
        c.idleSince = Date.now();
      });
    };
    for (const server of servers) {
      server.on('request', begin);
      server.on('checkContinue', begin);
      server.on('upgrade', (req: http.IncomingMessage) => {
        const c = connections.get(req.socket);
        if (c) c.upgraded = true;
      });
    }

    return ({ timeoutMs, idleGraceMs }) =>
      new Promise<void>((resolve) => {
        draining = true;
        // GOAWAY: the client sends nothing new on the session; its open streams are answered, then the session closes.
        for (const session of sessions) session.close();
        const sweep = (): void => {
          const idleBefore = Date.now() - idleGraceMs;
          // destroy, not end: a half-closed socket would still read a request that is on its way, run it, and fail to answer it (counted, never received).
          for (const [socket, c] of connections) if (!c.upgraded && c.active === 0 && c.idleSince <= idleBefore) socket.destroy();
        };
        sweep();
        const sweeper = setInterval(sweep, SWEEP_MS);
        const deadline = setTimeout(() => {
          // http and https servers (not an HTTP/2 one) can close their HTTP/1.1 connections themselves.
          for (const server of servers) if ('closeAllConnections' in server) server.closeAllConnections();
          for (const socket of connections.keys()) socket.destroy();
          for (const session of sessions) session.destroy();
          for (const socket of accepted) socket.destroy();
        }, timeoutMs);
        // Stop listening the net/tls way: http's own close() also ends every idle keep-alive connection at once, racing clients about to reuse them.
        const done = (): void => {
          clearInterval(sweeper);
          clearTimeout(deadline);
          resolve();
        };
        net.Server.prototype.close.call(listening, done);
      });
  };
  return { ServerResponse: DrainAwareResponse, track };
}
