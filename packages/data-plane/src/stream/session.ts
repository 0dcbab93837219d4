import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { RequestRecord } from '../analytics/recorder';
import type { CompiledConfig, CompiledService } from '../engine/compiled';
import type { Logger } from '../logging';
import { pipeSession } from './pipe';
import type { StreamRouteEntry } from './stream-router';
import { connectUpstream, NoPeerError } from './upstream';

/** How long a TLS-terminating session waits for the client's handshake to finish. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/** Called once per finished stream session: its route, service, Kong's stream status, duration and bytes. */
export type SessionObserver = (record: RequestRecord) => void;

/** One accepted connection, routed. */
export interface SessionStart {
  socket: Socket;
  /** performance.now() when it was accepted. */
  started: number;
  observers: readonly SessionObserver[];
  log: Logger;
  compiled: CompiledConfig | null;
  route: StreamRouteEntry | null;
  /** `tcp`: bytes as they come; `passthrough`: the raw TLS bytes, ClientHello included; `terminate`: TLS ended here with `secureContext`. */
  mode: 'tcp' | 'passthrough' | 'terminate';
  secureContext?: tls.SecureContext;
  /** The client's TLS server name (ssl listeners), null when none. */
  sni?: string | null;
  /** Close at once with this status (a connection that sent no ClientHello on an `ssl` listener: 400). */
  refuse?: number;
}

function finish(s: SessionStart, service: CompiledService | null, status: number, received = 0, sent = 0): void {
  const record: RequestRecord = {
    routeId: s.route?.route.id ?? null,
    serviceId: service?.id ?? null,
    consumerId: null,
    status,
    latencyMs: performance.now() - s.started,
    upstreamLatencyMs: null,
    bytesIn: received,
    bytesOut: sent,
  };
  for (const observe of s.observers) observe(record);
}

/** Completes the server side of a TLS handshake on the raw socket; null when it fails or takes too long. */
function terminateTls(socket: Socket, secureContext: tls.SecureContext): Promise<tls.TLSSocket | null> {
  return new Promise((resolve) => {
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
    const timer = setTimeout(() => secure.destroy(), HANDSHAKE_TIMEOUT_MS);
    const failed = (): void => {
      clearTimeout(timer);
      secure.destroy();
      resolve(null);
    };
    secure.once('error', failed);
    secure.once('close', failed);
    secure.once('secure', () => {
      clearTimeout(timer);
      secure.removeListener('error', failed);
      secure.removeListener('close', failed);
      resolve(secure);
    });
  });
}

/**
 * Runs one stream session to its end and counts it with Kong's stream
 * statuses: 200 for a session proxied to its end, 400 when the client's TLS
 * could not be read or finished, 500 when no route matched ("no Route found
 * with those values"), 502 when the upstream could not be connected, 503
 * when the route has no usable service (none, disabled, `udp`, or an
 * upstream with no target to take it). A failed session closes the client's
 * connection.
 */
export async function runSession(s: SessionStart): Promise<void> {
  const { socket } = s;
  const refuse = (status: number, service: CompiledService | null = null): void => {
    socket.destroy();
    finish(s, service, status);
  };
  if (s.refuse !== undefined) return refuse(s.refuse);
  if (s.route === null) return refuse(500);
  const serviceRef = s.route.route.service;
  const service = serviceRef === null ? null : (s.compiled?.services.get(serviceRef.id) ?? null);
  if (service === null || !service.raw.enabled || service.protocol === 'udp') return refuse(503, service);
  let client: Duplex = socket;
  if (s.mode === 'terminate' && s.secureContext !== undefined) {
    const secure = await terminateTls(socket, s.secureContext);
    if (secure === null) return refuse(400, service);
    client = secure;
  }
  // A passthrough session's bytes are already TLS: the service is reached in plain TCP whatever its protocol says.
  const target = s.mode === 'passthrough' && service.protocol === 'tls' ? { ...service, protocol: 'tcp' as const } : service;
  let upstream;
  try {
    // Kong: a preserve_host route hands the client's SNI on to a tls service.
    const sni = s.route.route.preserve_host ? (s.sni ?? null) : null;
    upstream = await connectUpstream(target, socket.remoteAddress ?? '', sni);
  } catch (err) {
    s.log.debug({ event: 'stream_upstream_failed', route: s.route.route.id, service: service.id, error: (err as Error).message });
    client.destroy();
    return finish(s, service, err instanceof NoPeerError ? 503 : 502);
  }
  const result = await pipeSession(client, upstream.socket, service.readTimeout);
  upstream.release();
  finish(s, service, 200, result.received, result.sent);
}
