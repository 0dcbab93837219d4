import { createHash } from 'node:crypto';
import type { GatewayConfig } from '@gatehouse/protocol';
import { ServedCertificate, type PemPair } from './served-certificate';

type Certificate = GatewayConfig['certificates'][number];

/**
 * The SNI names a client's server name is looked up under, in Kong's order
 * (kong/runloop/certificate.lua): the name itself; its leading wildcard, the
 * first label replaced by `*` (only with three labels or more, so
 * `*.example.com` serves `api.example.com` but neither `example.com` nor
 * `a.api.example.com`); its trailing wildcard, the last label replaced by
 * `*` (`example.*` serves `example.com`). Lower case: server names compare
 * without case.
 */
export function sniCandidates(servername: string): string[] {
  const name = servername.toLowerCase();
  const out = [name];
  const firstDot = name.indexOf('.');
  const secondDot = firstDot > 0 ? name.indexOf('.', firstDot + 1) : -1;
  if (secondDot > firstDot + 1 && secondDot < name.length - 1) out.push(`*${name.slice(firstDot)}`);
  const lastDot = name.lastIndexOf('.');
  if (lastDot > 0 && lastDot < name.length - 1) out.push(`${name.slice(0, lastDot)}.*`);
  return out;
}

/** What identifies a certificate's material: a change of any PEM (a rotation, a re-resolved vault reference) builds a new context. */
function materialHash(c: Certificate): string {
  return createHash('sha256')
    .update(c.cert)
    .update('\0')
    .update(c.key)
    .update('\0')
    .update(c.cert_alt ?? '')
    .update('\0')
    .update(c.key_alt ?? '')
    .digest('hex');
}

/** A certificate entity's pairs: `cert`/`key`, then `cert_alt`/`key_alt` when set. */
function pairsOf(c: Certificate): PemPair[] {
  const pairs = [{ cert: c.cert, key: c.key }];
  if (c.cert_alt !== null && c.key_alt !== null) pairs.push({ cert: c.cert_alt, key: c.key_alt });
  return pairs;
}

/**
 * Kong's certificate selection for the TLS listener: the group's SNIs and
 * certificates from the config being served. The name index is rebuilt
 * (on the next handshake) when a new config is applied; a certificate's
 * SecureContexts are built once, on first use, and kept across applies while
 * its id and PEM stay the same, so a config change never rebuilds the
 * others. Connections already open keep the context they shook hands with:
 * a swap drops none.
 */
export class SniCertificates {
  private indexedFor: GatewayConfig | null = null;
  private byName = new Map<string, Certificate>();
  private readonly contexts = new Map<string, { hash: string; served: ServedCertificate }>();
  /** The context of each certificate object of the indexed config (one hash per certificate per apply). */
  private current = new WeakMap<Certificate, ServedCertificate>();

  constructor(private readonly config: () => GatewayConfig | null) {}

  /**
   * The certificate for a client's server name, or undefined when no SNI of
   * the group names it (the listener's default then serves). Throws when the
   * certificate an SNI names cannot be used (its PEM does not load), as Kong
   * fails that handshake rather than serve another name's certificate.
   */
  select(servername: string): ServedCertificate | undefined {
    const config = this.config();
    if (config === null) return undefined;
    if (config !== this.indexedFor) this.index(config);
    for (const name of sniCandidates(servername)) {
      const cert = this.byName.get(name);
      if (cert !== undefined) return this.contextOf(cert);
    }
    return undefined;
  }

  private index(config: GatewayConfig): void {
    const certificates = new Map<string, Certificate>();
    for (const c of config.certificates) certificates.set(c.id, c);
    const byName = new Map<string, Certificate>();
    for (const sni of config.snis) {
      const cert = certificates.get(sni.certificate.id);
      if (cert !== undefined) byName.set(sni.name.toLowerCase(), cert);
    }
    for (const id of this.contexts.keys()) if (!certificates.has(id)) this.contexts.delete(id);
    this.byName = byName;
    this.current = new WeakMap();
    this.indexedFor = config;
  }

  private contextOf(cert: Certificate): ServedCertificate {
    const known = this.current.get(cert);
    if (known !== undefined) return known;
    const hash = materialHash(cert);
    let entry = this.contexts.get(cert.id);
    if (entry?.hash !== hash) {
      try {
        entry = { hash, served: new ServedCertificate(pairsOf(cert)) };
      } catch (err) {
        throw new Error(`certificate ${cert.id} cannot be served: ${(err as Error).message}`, { cause: err });
      }
      this.contexts.set(cert.id, entry);
    }
    this.current.set(cert, entry.served);
    return entry.served;
  }
}
