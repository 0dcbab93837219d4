import type { Engine } from '../engine/engine';
import type { Logger } from '../logging';
import { defaultTlsPairs } from '../proxy/listeners';
import { preferredKeyType } from '../proxy/tls/key-choice';
import { ServedCertificate, type PemPair } from '../proxy/tls/served-certificate';
import { SniCertificates } from '../proxy/tls/sni-certificates';
import type { DpSettings } from '../settings';
import type { StreamListenAddress } from './listen-setting';
import { startStreamListener, type StreamCertificates, type StreamListener } from './listener';
import type { SessionObserver } from './session';

/**
 * The certificate a `tls` stream route's connection gets, as on the TLS
 * proxy listener: the group's certificate its SNI names (Kong's exact,
 * wildcard, default order; `select`), else the default; of that, the ECDSA
 * or the RSA pair by the signature algorithms the client offers.
 */
export function streamCertificates(defaults: readonly PemPair[], select?: (servername: string) => ServedCertificate | undefined): StreamCertificates {
  const fallback = new ServedCertificate(defaults);
  return (sni, hello) => {
    const served = sni !== null && select !== undefined ? (select(sni) ?? fallback) : fallback;
    return served.pick(preferredKeyType(hello));
  };
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
 * listener's (Kong's `stream_listen ssl` shares its certificates): the
 * served config's SNIs and certificates, else the default
 * (GATEHOUSE_PROXY_TLS_CERT/_KEY, or the self-signed pair generated into the
 * DP dir).
 */
export async function defaultStreamCertificates(settings: DpSettings, engine: Engine): Promise<StreamCertificates> {
  const snis = new SniCertificates(() => engine.compiled?.config ?? null);
  return streamCertificates(await defaultTlsPairs(settings), (name) => snis.select(name));
}
