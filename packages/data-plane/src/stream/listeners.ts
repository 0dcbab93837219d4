import tls from 'node:tls';
import type { Engine } from '../engine/engine';
import type { Logger } from '../logging';
import { defaultTlsPairs } from '../proxy/listeners';
import type { DpSettings } from '../settings';
import type { StreamListenAddress } from './listen-setting';
import { startStreamListener, type StreamCertificates, type StreamListener } from './listener';
import type { SessionObserver } from './session';

/** A certificate chain and its key, PEM (an RSA and an ECDSA pair may be served together). */
export interface StreamPemPair {
  cert: string;
  key: string;
}

/**
 * The certificate a `tls` stream route's connection gets: `select`'s choice
 * for its SNI (the group's certificates, as on the HTTPS listener) when it
 * has one, else the default pair(s).
 */
export function streamCertificates(defaults: readonly StreamPemPair[], select?: (servername: string) => tls.SecureContext | undefined): StreamCertificates {
  const fallback = tls.createSecureContext({ cert: defaults.map((p) => p.cert), key: defaults.map((p) => p.key) });
  return (sni) => (sni !== null && select !== undefined ? (select(sni) ?? fallback) : fallback);
}

/** Everything the stream listeners of one process need. */
export interface StreamListenersOptions {
  addresses: readonly StreamListenAddress[];
  engine: Engine;
  log: Logger;
  observers: readonly SessionObserver[];
  /** Needed when an address has the `ssl` flag: makes the certificates once the listeners are known to need them. */
  certificates: () => Promise<StreamCertificates>;
}

/**
 * Opens every GATEHOUSE_STREAM_LISTEN entry; if one cannot open, those
 * already open are closed again and the error is thrown.
 */
export async function openStreamListeners(o: StreamListenersOptions): Promise<StreamListener[]> {
  if (o.addresses.length === 0) return [];
  const certificates = o.addresses.some((a) => a.ssl) ? await o.certificates() : null;
  const open: StreamListener[] = [];
  try {
    for (const address of o.addresses) open.push(await startStreamListener(address, { engine: o.engine, log: o.log, observers: o.observers, certificates }));
  } catch (err) {
    await Promise.all(open.map((l) => l.close(0)));
    throw err;
  }
  return open;
}

/**
 * The certificates of `ssl` stream listeners' `tls` routes: the TLS proxy
 * listener's default (GATEHOUSE_PROXY_TLS_CERT/_KEY, else the self-signed
 * pair generated into the DP dir, as Kong's `stream_listen ssl` shares
 * `ssl_cert`).
 */
export async function defaultStreamCertificates(settings: DpSettings): Promise<StreamCertificates> {
  return streamCertificates(await defaultTlsPairs(settings));
}
