import net from 'node:net';
import tls from 'node:tls';
import type { CompiledService } from '../engine/compiled';
import { PLAIN_TLS } from '../upstream/tls-options';

/** Where a stream session goes: the address, and what to tell the balancer when it ends. */
interface StreamPeer {
  host: string;
  port: number;
  /** The TLS name for a `tls` service: the service's host when it is a name (never an IP, as SNI may not be one). */
  servername: string | undefined;
  done(): void;
}

/**
 * The peer of a session: the service's host and port, or, when the host
 * names an upstream, the target its balancer picks (health checks and
 * `max_concurrent_requests_per_target` as for HTTP; a `consistent-hashing`
 * upstream hashes the client's address). Null when the upstream has no
 * target that can take it.
 */
function pickPeer(service: CompiledService, clientIp: string): StreamPeer | null {
  const named = net.isIP(service.host) === 0 ? service.host : undefined;
  const sb = service.balancer;
  if (sb === null) return { host: service.host, port: service.port, servername: named, done: () => undefined };
  const b = sb.balancer;
  if (!b.health.available()) return null;
  const limit = b.limit;
  const down = limit === null ? b.health.down : limit.mask(b.health.down);
  const index = b.algorithm.pick(b.hashSources === null ? '' : clientIp, -1, down);
  const entry = b.entries[index];
  if (index < 0 || entry === undefined) return null;
  const algorithm = b.algorithm;
  const generation = b.generation;
  algorithm.started(index);
  limit?.started(index);
  return {
    host: entry.host,
    port: entry.port,
    servername: entry.hostname ?? (net.isIP(entry.host) === 0 ? entry.host : undefined),
    done() {
      if (b.generation !== generation) return;
      algorithm.finished(index, null);
      limit?.finished(index);
    },
  };
}

/** The service's upstream has no target that can take the session (Kong's 503). */
export class NoPeerError extends Error {}

/** An open upstream connection of a stream session, and the balancer's bookkeeping to run when the session ends. */
export interface StreamUpstream {
  socket: net.Socket;
  release(): void;
}

/**
 * Opens the session's connection to the service: TLS for a `tls` service
 * (SNI its host, or `clientSni`: the client's on a `preserve_host` route, as Kong; the certificate verified, the CA store and the
 * client certificate as the service's tls_verify, tls_verify_depth, ca_certificates and client_certificate say, else
 * not verified, Kong's default `proxy_ssl_verify off`), plain TCP otherwise. Rejects on a refused or
 * failed connection, or when none is made within the service's
 * `connect_timeout`; the caller then closes the client's connection.
 */
export function connectUpstream(service: CompiledService, clientIp: string, clientSni: string | null = null): Promise<StreamUpstream> {
  const peer = pickPeer(service, clientIp);
  if (peer === null) return Promise.reject(new NoPeerError(`no target of upstream ${service.host} can take the connection`));
  return new Promise((resolve, reject) => {
    const useTls = service.protocol === 'tls';
    // Half-open, so an end from the client reaches the upstream while its answer still comes back; a TLS socket takes it from the TCP one it wraps.
    const raw = net.connect({ host: peer.host, port: peer.port, allowHalfOpen: true });
    const socket = useTls
      ? tls.connect({ socket: raw, host: peer.host, servername: clientSni ?? peer.servername, ...(service.upstreamTls?.connect ?? PLAIN_TLS) })
      : raw;
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      raw.destroy();
      peer.done();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new Error(`connect to ${peer.host}:${peer.port} timed out after ${service.connectTimeout} ms`)),
      service.connectTimeout,
    );
    raw.once('error', fail);
    socket.once('error', fail);
    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      settled = true;
      clearTimeout(timer);
      raw.removeListener('error', fail);
      socket.removeListener('error', fail);
      // The TLS socket is the session's; an error of the TCP one under it ends it too.
      if (raw !== socket) raw.on('error', () => socket.destroy());
      resolve({ socket, release: () => peer.done() });
    });
  });
}
