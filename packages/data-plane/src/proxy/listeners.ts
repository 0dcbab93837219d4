import fs from 'node:fs';
import { tlsListen, type DpSettings } from '../settings';
import type { ProxyDeps } from './handler';
import { startProxyListener, type ProxyListener, type ProxyTlsOptions } from './server';
import { defaultCertificates } from './tls/default-certificate';
import type { PemPair } from './tls/served-certificate';
import { SniCertificates } from './tls/sni-certificates';

/** The proxy's listeners: the plain one, and the TLS one when it is on. */
export interface ProxyListeners {
  plain: ProxyListener;
  tls: ProxyListener | null;
}

/**
 * The TLS listener's default certificate: GATEHOUSE_PROXY_TLS_CERT/_KEY when
 * given, else the self-signed RSA and ECDSA pair kept in the DP dir
 * (generated on first start, as Kong does).
 */
export async function defaultTlsPairs(settings: DpSettings): Promise<PemPair[]> {
  const cert = settings.GATEHOUSE_PROXY_TLS_CERT;
  const key = settings.GATEHOUSE_PROXY_TLS_CERT_KEY;
  if (cert !== undefined && key !== undefined) return [{ cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') }];
  return defaultCertificates(settings.GATEHOUSE_DP_DIR);
}

/**
 * Opens GATEHOUSE_PROXY_LISTEN and, when on, GATEHOUSE_PROXY_TLS_LISTEN
 * (docs/PROXY.md, Listeners), whose certificate is chosen by the client's
 * SNI among the served config's SNIs and certificates, else the default.
 * If the second cannot open, the first is closed again.
 */
export async function openProxyListeners(deps: ProxyDeps, settings: DpSettings): Promise<ProxyListeners> {
  const timeouts = { headerMs: settings.GATEHOUSE_PROXY_CLIENT_HEADER_TIMEOUT_MS, bodyMs: settings.GATEHOUSE_PROXY_CLIENT_BODY_TIMEOUT_MS };
  const plain = await startProxyListener(deps, settings.GATEHOUSE_PROXY_LISTEN, undefined, timeouts);
  const address = tlsListen(settings);
  if (address === null) return { plain, tls: null };
  try {
    const pairs = await defaultTlsPairs(settings);
    const snis = new SniCertificates(() => deps.engine.compiled?.config ?? null);
    const options: ProxyTlsOptions = { cert: pairs.map((p) => p.cert), key: pairs.map((p) => p.key), select: (name) => snis.select(name) };
    return { plain, tls: await startProxyListener(deps, address, options, timeouts) };
  } catch (err) {
    await plain.close();
    throw err;
  }
}
