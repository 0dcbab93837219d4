import type { Db } from '../database/client';
import { groupCaCertificate } from './group-ca';
import { certificateFingerprint, x509 } from './pki';

/** A DP proven by its client certificate: the group comes from the CA that signed it. */
export interface DpIdentity {
  runtimeGroupId: string;
  certificateId: string;
  notAfter: Date;
}

export type AuthResult = { ok: true; identity: DpIdentity } | { ok: false; reason: string };

/**
 * Decides whether a client certificate (DER, as presented in the TLS
 * handshake, which already proved possession of its key) may connect:
 * it must be one this installation issued (looked up by SHA-256 fingerprint),
 * not revoked, signed by its runtime group's CA (checked cryptographically, so
 * a forged row or a look-alike certificate from another installation fails),
 * and within its validity period at `now`. Nothing the client says is used.
 */
export async function authenticateDpCertificate(db: Db, der: Buffer | undefined, now = new Date()): Promise<AuthResult> {
  if (!der || der.length === 0) return { ok: false, reason: 'a client certificate is required' };
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch {
    return { ok: false, reason: 'the client certificate cannot be parsed' };
  }
  const row = await db.dpCertificate.findUnique({
    where: { fingerprint: certificateFingerprint(der) },
    select: { id: true, runtimeGroupId: true, revokedAt: true },
  });
  if (!row) return { ok: false, reason: 'unknown client certificate (not issued by this installation)' };
  if (row.revokedAt) return { ok: false, reason: 'the client certificate has been revoked' };
  const ca = await groupCaCertificate(db, row.runtimeGroupId);
  const signed = cert.issuer === ca?.subject && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }).catch(() => false));
  if (!signed) return { ok: false, reason: "the client certificate is not signed by its runtime group's CA" };
  if (now < cert.notBefore) return { ok: false, reason: 'the client certificate is not valid yet' };
  if (now > cert.notAfter) return { ok: false, reason: 'the client certificate has expired' };
  return { ok: true, identity: { runtimeGroupId: row.runtimeGroupId, certificateId: row.id, notAfter: cert.notAfter } };
}
