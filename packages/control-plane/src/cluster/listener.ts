import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { asError, OUTLET_PATH } from '@gatehouse/protocol';
import { authenticateDpCertificate, type DpIdentity } from '../certificates/authenticate';
import type { ListenerIdentity } from '../certificates/cluster-ca';
import type { Db } from '../database/client';
import type { Logger } from '../logging';
import type { ConnectionInfo } from './session';

/** The largest message a DP may send (stats batches are the big ones). */
const MAX_DP_MESSAGE_BYTES = 64 * 1024 * 1024;
const nodeIdSchema = z.uuid();

export interface ClusterListenerOptions {
  host: string;
  port: number;
  identity: ListenerIdentity;
  db: Db;
  log: Logger;
  onConnection(ws: WebSocket, identity: DpIdentity, info: ConnectionInfo): void;
}

export interface ClusterListener {
  port: number;
  /** Refuses new connections at once (a CP shutting down); connected DPs stay until their sessions close. */
  stopAccepting(): void;
  /** Stops accepting; open sockets are closed by their sessions. */
  close(): Promise<void>;
}

/** Answers an upgrade request with a plain HTTP error and drops the socket: the WebSocket never opens. */
function refuse(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The cluster listener: HTTPS with the CP's cluster certificate, asking every
 * client for a certificate. TLS itself accepts any client (Node would need one
 * CA list for all groups, and could not say why it refused); the check is made
 * here before the WebSocket upgrade completes, so a refused client (no,
 * unknown, expired or revoked certificate) gets 401 and never a byte of config.
 */
export async function startClusterListener(opts: ClusterListenerOptions): Promise<ClusterListener> {
  const { log } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_DP_MESSAGE_BYTES, perMessageDeflate: false });
  const server = https.createServer(
    { cert: opts.identity.certPem, key: opts.identity.keyPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(426, { 'Content-Type': 'application/json', Upgrade: 'websocket' });
      res.end(JSON.stringify({ code: 'upgrade_required', message: `connect a WebSocket to ${OUTLET_PATH}` }));
    },
  );
  server.on('tlsClientError', (err) => log.debug({ event: 'cluster_tls_error', err: err.message }));

  async function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://cluster.invalid');
    if (url.pathname !== OUTLET_PATH) return refuse(socket, 404, 'not_found', `no WebSocket endpoint at ${url.pathname}; use ${OUTLET_PATH}`);
    const nodeId = url.searchParams.get('node_id') ?? '';
    if (!nodeIdSchema.safeParse(nodeId).success) return refuse(socket, 400, 'schema_violation', 'query parameter node_id must be a UUID');
    // The listener is a TLS server, so its sockets are TLSSockets; getPeerCertificate answers {} (no raw) when the client sent none.
    const raw: Buffer | undefined = socket instanceof TLSSocket ? socket.getPeerCertificate(false).raw : undefined;
    const auth = await authenticateDpCertificate(opts.db, raw);
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '') || null;
    if (!auth.ok) {
      log.warn({ event: 'cluster_refused', reason: auth.reason, ip, node_id: nodeId });
      return refuse(socket, 401, 'unauthorized', auth.reason);
    }
    const info: ConnectionInfo = {
      nodeId,
      hostname: (url.searchParams.get('node_hostname') ?? '').slice(0, 256) || 'unknown',
      version: (url.searchParams.get('node_version') ?? '').slice(0, 64) || 'unknown',
      ip,
    };
    wss.handleUpgrade(req, socket, head, (ws) => opts.onConnection(ws, auth.identity, info));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (err) => log.debug({ event: 'cluster_socket_error', err: err.message }));
    upgrade(req, socket, head).catch((thrown: unknown) => {
      const err = asError(thrown);
      log.error({ event: 'cluster_upgrade_failed', err }, err.message);
      if (!socket.destroyed) refuse(socket, 500, 'internal_error', 'internal error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new Error(`GATEHOUSE_CLUSTER_LISTEN: cannot listen on ${opts.host}:${opts.port}: ${why}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  let closed: Promise<void> | null = null;
  const stopAccepting = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      // Established DP connections are upgraded sockets, which server.close leaves open: their sessions close them.
      server.close(() => resolve());
    }));
  return {
    port: (server.address() as AddressInfo).port,
    stopAccepting: () => void stopAccepting(),
    close: async () => {
      const done = stopAccepting();
      wss.close();
      server.closeAllConnections();
      await done;
    },
  };
}
