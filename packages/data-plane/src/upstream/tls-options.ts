import { createHash } from 'node:crypto';
import tls, { type PeerCertificate } from 'node:tls';
import type { GatewayConfig, Service } from '@gatehouse/protocol';
import type { Logger } from '../logging';

/** What tls.connect gets for an upstream connection (spread into its options). */
export interface UpstreamTlsConnect {
  readonly rejectUnauthorized: boolean;
  /** The CA store (ca_certificates) and client certificate, built once; absent: Node's defaults, no client certificate. */
  readonly secureContext?: tls.SecureContext;
  /** Set when the chain depth is limited (tls_verify_depth): the host name check, then the depth check. */
  readonly checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
}

/**
 * A service's upstream TLS settings (Kong's tls_verify, tls_verify_depth,
 * ca_certificates, client_certificate), ready to connect with. `key` goes
 * into pool and session keys: equal keys mean equal options and equal PEM
 * material, so two services share connections only when they would make
 * the same handshake, and a changed CA or client certificate (even under
 * the same id) makes new pools.
 */
export interface UpstreamTls {
  readonly key: string;
  readonly connect: UpstreamTlsConnect;
}

/** Kong's default (`proxy_ssl_verify off`): no verification, no client certificate. */
export const PLAIN_TLS: UpstreamTlsConnect = { rejectUnauthorized: false };

/** Whether a service sets any upstream TLS field (else it connects as PLAIN_TLS, in the pools it always had). */
export function hasUpstreamTls(s: Service): boolean {
  return s.tls_verify !== null || s.tls_verify_depth !== null || s.ca_certificates.length > 0 || s.client_certificate !== null;
}

/**
 * How many certificates stand between the peer's certificate and its trust
 * anchor in the chain Node built (getPeerCertificate(true): the peer's chain
 * completed from the trusted store, ending at a self-signed certificate).
 */
export function intermediateCount(cert: PeerCertificate): number {
  let n = 1;
  let c = cert as tls.DetailedPeerCertificate;
  const seen = new Set<string>([c.fingerprint256]);
  for (;;) {
    // Absent on the last certificate when Node found no issuer for it; itself on a self-signed one.
    const next = c.issuerCertificate as tls.DetailedPeerCertificate | undefined;
    if (next === undefined || seen.has(next.fingerprint256)) break;
    seen.add(next.fingerprint256);
    c = next;
    n++;
  }
  // Leaf and anchor do not count (OpenSSL's verify depth); a self-signed leaf trusted directly has none.
  return Math.max(0, n - 2);
}

/** An error for a chain longer than tls_verify_depth allows, with OpenSSL's code and message. */
function chainTooLong(depth: number, found: number): Error {
  const err: NodeJS.ErrnoException = new Error(`certificate chain too long (${found} intermediate certificates, tls_verify_depth ${depth})`);
  err.code = 'CERT_CHAIN_TOO_LONG';
  return err;
}

/** The host name check Node does by default, then OpenSSL's verify depth: at most `depth` intermediate certificates. */
function depthCheck(depth: number): (hostname: string, cert: PeerCertificate) => Error | undefined {
  return (hostname, cert) => {
    const identity = tls.checkServerIdentity(hostname, cert);
    if (identity !== undefined) return identity;
    const found = intermediateCount(cert);
    return found > depth ? chainTooLong(depth, found) : undefined;
  };
}

/**
 * Resolves services' upstream TLS settings against one config: CA
 * certificates by id, client certificates by id (their vault references
 * already resolved). Services with the same settings share one UpstreamTls;
 * one the previous config built with the same key is reused (no new
 * secure context, the same pools).
 */
export class UpstreamTlsResolver {
  private readonly cas = new Map<string, string>();
  private readonly certs = new Map<string, { cert: string; key: string }>();
  private readonly byIds = new Map<string, UpstreamTls>();

  constructor(
    config: GatewayConfig,
    private readonly previous: ReadonlyMap<string, UpstreamTls>,
    private readonly log: Logger,
  ) {
    for (const ca of config.ca_certificates) this.cas.set(ca.id, ca.cert);
    for (const c of config.certificates) this.certs.set(c.id, { cert: c.cert, key: c.key });
  }

  /** The service's settings, or null when it sets none (Kong's defaults: PLAIN_TLS). Throws on an id the config lacks. */
  resolve(s: Service): UpstreamTls | null {
    if (!hasUpstreamTls(s)) return null;
    const verify = s.tls_verify === true;
    const ids = `${verify ? 1 : 0},${s.tls_verify_depth ?? ''},${s.ca_certificates.join(';')},${s.client_certificate?.id ?? ''}`;
    const known = this.byIds.get(ids);
    if (known !== undefined) return known;
    const cas = s.ca_certificates.map((id) => {
      const pem = this.cas.get(id);
      if (pem === undefined) throw new Error(`services: ${s.id} trusts CA certificate ${id}, which is not in the config`);
      return pem;
    });
    const clientId = s.client_certificate?.id;
    const client = clientId === undefined ? undefined : this.certs.get(clientId);
    if (clientId !== undefined && client === undefined) throw new Error(`services: ${s.id} presents certificate ${clientId}, which is not in the config`);
    const digest = createHash('sha256');
    for (const pem of cas) digest.update(pem).update('\0');
    if (client !== undefined) digest.update(client.cert).update('\0').update(client.key);
    const key = `${ids}@${digest.digest('base64url').slice(0, 22)}`;
    const made = this.previous.get(key) ?? this.build(key, s, verify, cas, client);
    this.byIds.set(ids, made);
    return made;
  }

  private build(key: string, s: Service, verify: boolean, cas: string[], client: { cert: string; key: string } | undefined): UpstreamTls {
    const ca = cas.length > 0 ? cas : undefined;
    let secureContext: tls.SecureContext | undefined;
    const withClient = client !== undefined && client.cert !== '' && client.key !== '' ? client : undefined;
    if (client !== undefined && withClient === undefined)
      this.log.error(
        { event: 'upstream_client_certificate', service: s.id, certificate: s.client_certificate?.id },
        'unable to apply upstream client TLS certificate: it has no certificate or key',
      );
    try {
      if (ca !== undefined || withClient !== undefined) secureContext = tls.createSecureContext({ ca, cert: withClient?.cert, key: withClient?.key });
    } catch (err) {
      // Kong logs a client certificate it cannot apply and connects without it; a CA store it cannot build leaves the default one.
      this.log.error(
        { event: 'upstream_tls_settings', service: s.id, error: (err as Error).message },
        `unable to apply the upstream TLS settings of service ${s.id}: ${(err as Error).message}`,
      );
      secureContext = this.fallback(ca, withClient);
    }
    const depth = s.tls_verify_depth;
    const connect: UpstreamTlsConnect = {
      rejectUnauthorized: verify,
      ...(secureContext === undefined ? {} : { secureContext }),
      ...(verify && depth !== null ? { checkServerIdentity: depthCheck(depth) } : {}),
    };
    return { key, connect };
  }

  /** The context without the part that failed: the CA store alone, else the client certificate alone, else Node's defaults. */
  private fallback(ca: string[] | undefined, client: { cert: string; key: string } | undefined): tls.SecureContext | undefined {
    const tries = [ca === undefined ? null : { ca }, client === undefined ? null : { cert: client.cert, key: client.key }];
    for (const options of tries) {
      if (options === null) continue;
      try {
        return tls.createSecureContext(options);
      } catch {
        // that part is the one that failed: try the other
      }
    }
    return undefined;
  }
}
