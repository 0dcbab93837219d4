import type { Certificate } from '@gatehouse/protocol';
import { summarizeCertificate } from './x509';

/** How a certificate is named in lists and selects: its subject's CN (or whole subject), else its first SNI, else its id. */
export function certificateName(c: Pick<Certificate, 'id' | 'cert' | 'snis'>): string {
  const summary = summarizeCertificate(c.cert);
  return summary?.commonName ?? (summary?.subject || null) ?? c.snis[0] ?? c.id;
}

/** The key types of a certificate and its alternative (`RSA + ECDSA`), or null when unreadable. */
export function keyTypes(c: Pick<Certificate, 'cert' | 'cert_alt'>): string | null {
  const types = [c.cert, c.cert_alt].flatMap((pem) => (pem ? [summarizeCertificate(pem)?.keyType ?? null] : []));
  return types.some((t) => t === null) ? null : types.join(' + ');
}
