import http2, { type ClientHttp2Session } from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { timeoutError } from './failure';
import type { PoolTarget } from './pools';
import { PLAIN_TLS } from './tls-options';

/**
 * An idle session (no stream for this long) is closed: Kong's
 * upstream_keepalive_idle_timeout, as for the HTTP/1.1 pools.
 */
const IDLE_MS = 60_000;

/**
 * At most this many sessions are kept (each origin and TLS name is one; a
 * preserve_host route to a grpcs service takes the client's Host as TLS
 * name): past it the oldest leaves the pool and closes once idle, so random Host headers
 * cannot grow the DP without bound.
 */
const MAX_SESSIONS = 1024;

/**
 * A session carries at most this many streams, then leaves the pool and
 * closes once they finish (Kong's upstream_keepalive_max_requests, 10,000):
 * connections are renewed, and a session never runs out of stream ids.
 */
const MAX_STREAMS = 10_000;

/** A retired session (MAX_STREAMS reached) closes after this long without a frame: its last streams have ended. */
const RETIRED_IDLE_MS = 1000;

/** Called with the session to open a stream on, or why none could be had. */
export type SessionCallback = (err: Error | null, session: ClientHttp2Session | null) => void;

interface Entry {
  readonly session: ClientHttp2Session;
  /** Null once connected; until then the requests waiting for it. */
  waiters: SessionCallback[] | null;
  /** Streams handed out so far. */
  streams: number;
}

/** The key of an origin: scheme, host, port, connect timeout, TLS settings and TLS name. */
function keyOf(t: PoolTarget): string {
  return `${t.scheme}://${t.host}:${t.port}|${t.connectTimeout}|${t.tls?.key ?? ''}|${t.servername ?? ''}`;
}

/**
 * HTTP/2 client sessions to gRPC upstreams (`node:http2`), one per origin
 * and TLS name, shared by every request and config version: h2c (prior
 * knowledge) for `grpc` services, TLS with ALPN `h2` for `grpcs` (the
 * certificate verified only as the target's TLS settings say, Kong's default
 * being not at all; sessions with other settings are other sessions). All streams to an origin are
 * multiplexed over its one session; a request that finds it still
 * connecting waits for it. A session leaves the pool when it fails, closes,
 * or receives GOAWAY (its streams finish; the next request connects anew),
 * and is closed after IDLE_MS without a stream. `connect_timeout` bounds the
 * TCP and TLS handshakes.
 */
export class H2Sessions {
  private readonly entries = new Map<string, Entry>();
  private readonly maxStreams: number;

  constructor(options: { maxStreams?: number } = {}) {
    this.maxStreams = options.maxStreams ?? MAX_STREAMS;
  }

  /**
   * Hands `cb` a connected session to `target` (at once when one is ready),
   * or the error that prevented connecting (`refused`, a connect timeout
   * with code GATEHOUSE_CONNECT_TIMEOUT, a TLS failure).
   */
  acquire(target: PoolTarget, cb: SessionCallback): void {
    const key = keyOf(target);
    const known = this.entries.get(key);
    if (known !== undefined && !known.session.closed && !known.session.destroyed) {
      if (known.waiters === null) this.handOut(key, known, cb);
      else known.waiters.push(cb);
      return;
    }
    this.connect(key, target).waiters?.push(cb);
  }

  /**
   * Gives `cb` the session for one stream; the last stream it may carry
   * retires it: out of the pool at once, closed once idle for RETIRED_IDLE_MS
   * (closing it now would refuse the streams whose HEADERS are not sent yet).
   */
  private handOut(key: string, entry: Entry, cb: SessionCallback): void {
    cb(null, entry.session);
    if (++entry.streams < this.maxStreams) return;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    entry.session.setTimeout(RETIRED_IDLE_MS);
  }

  /** How many sessions are held (connected or connecting). */
  get size(): number {
    return this.entries.size;
  }

  /** Closes every session at once (shutdown): streams in flight are reset. */
  destroy(): void {
    for (const e of this.entries.values()) e.session.destroy();
    this.entries.clear();
  }

  private connect(key: string, target: PoolTarget): Entry {
    const host = target.host.startsWith('[') ? target.host.slice(1, -1) : target.host;
    const authority = `${target.scheme}://${host.includes(':') ? `[${host}]` : host}:${target.port}`;
    let timer: NodeJS.Timeout | null = null;
    const session = http2.connect(authority, {
      createConnection: () => {
        const socket =
          target.scheme === 'https'
            ? tls.connect({ host, port: target.port, servername: target.servername, ALPNProtocols: ['h2'], ...(target.tls?.connect ?? PLAIN_TLS) })
            : net.connect({ host, port: target.port });
        timer = setTimeout(() => socket.destroy(timeoutError('GATEHOUSE_CONNECT_TIMEOUT', 'upstream connect timeout')), target.connectTimeout);
        return socket;
      },
    });
    const entry: Entry = { session, waiters: [], streams: 0 };
    const settle = (err: Error | null): void => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const waiters = entry.waiters;
      entry.waiters = null;
      for (const w of waiters ?? []) {
        if (err === null) this.handOut(key, entry, w);
        else w(err, null);
      }
    };
    const leave = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    session.once('connect', () => settle(null));
    session.on('error', (err: Error) => {
      leave();
      settle(err);
    });
    session.once('close', () => {
      leave();
      settle(new Error('upstream session closed before it connected'));
    });
    session.once('goaway', leave);
    session.setTimeout(IDLE_MS, () => {
      // Idle: no frame either way for the timeout. close() lets any stream still open finish.
      leave();
      session.close();
    });
    this.entries.set(key, entry);
    if (this.entries.size > MAX_SESSIONS) {
      const oldest = this.entries.entries().next();
      if (oldest.done !== true) {
        this.entries.delete(oldest.value[0]);
        oldest.value[1].session.setTimeout(RETIRED_IDLE_MS);
      }
    }
    return entry;
  }
}
