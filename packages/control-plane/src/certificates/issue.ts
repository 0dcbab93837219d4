import type { Db } from '../database/client';
import type { Prisma } from '../generated/prisma/client';
import { clusterCaCertPem } from './cluster-ca';
import type { SecretKey } from './key-encryption';
import { loadGroupCa } from './group-ca';
import { findRenewalParent, lockGroupCertificates, renewalRefusal, type RenewalRefusal } from './lineage';
import { certificateFingerprint, generateKeyPair, parseCsr, signLeaf, x509, type Authority, type LeafPublicKey } from './pki';

/** DP client certificates are valid this long unless asked otherwise (docs/CLUSTER.md, Certificates). */
export const DEFAULT_DP_CERT_VALIDITY_DAYS = 180;

export interface IssueOptions {
  /** Validity in days (default 180). */
  validityDays?: number;
  /** When validity starts (default now); tests use a past date to make certificates near or past expiry. */
  notBefore?: Date;
}

/** A newly issued DP certificate: the only time its private key is ever seen. */
export interface IssuedDpCertificate {
  id: string;
  /** The DP's client certificate (PEM). */
  cert: string;
  /** The DP's private key (PKCS#8 PEM); not stored by the CP. */
  key: string;
  /** The cluster CA (PEM) that signed the CP's listener certificate: the DP's GATEHOUSE_CLUSTER_CA. */
  ca_cert: string;
  not_after: Date;
}

/** A renewed certificate: signed for a key the CP never saw (the stored certificate's, or a CSR's). */
export interface SignedDpCertificate {
  id: string;
  cert: string;
  ca_cert: string;
  not_after: Date;
}

function dpSubject(runtimeGroupId: string): string {
  return `CN=Gatehouse data plane, OU=${runtimeGroupId}, O=Gatehouse`;
}

/** Signs `publicKey` with the group's CA and records the certificate (serial, SHA-256 fingerprint, validity, the certificate it renews). */
async function signAndRecord(
  db: Prisma.TransactionClient,
  runtimeGroupId: string,
  ca: Authority,
  publicKey: LeafPublicKey,
  opts: IssueOptions,
  parentId: string | null = null,
): Promise<{ id: string; cert: x509.X509Certificate }> {
  const days = opts.validityDays ?? DEFAULT_DP_CERT_VALIDITY_DAYS;
  const cert = await signLeaf(ca, publicKey, dpSubject(runtimeGroupId), days, { kind: 'client' }, opts.notBefore);
  const row = await db.dpCertificate.create({
    data: {
      runtimeGroupId,
      serial: cert.serialNumber,
      certPem: cert.toString('pem'),
      fingerprint: certificateFingerprint(cert.rawData),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      parentId,
    },
    select: { id: true },
  });
  return { id: row.id, cert };
}

/**
 * Issues a new DP client certificate for a runtime group: a fresh P-256 key,
 * signed by the group's CA (created on first use). Only the certificate is
 * stored; the key is returned here once and never again.
 * Throws RuntimeGroupNotFoundError for an unknown group.
 */
export async function issueDpCertificate(db: Db, runtimeGroupId: string, secretKey: SecretKey, opts: IssueOptions = {}): Promise<IssuedDpCertificate> {
  const ca = await loadGroupCa(db, runtimeGroupId, secretKey);
  const { keys, privateKeyPem } = await generateKeyPair();
  const { id, cert } = await signAndRecord(db, runtimeGroupId, ca, keys.publicKey, opts);
  return { id, cert: cert.toString('pem'), key: privateKeyPem, ca_cert: await clusterCaCertPem(db, secretKey), not_after: cert.notAfter };
}

/** How a renewal is asked for: by the operator through the API, or by the DP over its connection. */
export interface RenewOptions extends IssueOptions {
  /** For a DP over its connection: the key of its CSR, and the renewal window applies. Absent: the API's renew, same key, no window. */
  csrPem?: string;
  /** The time the window is judged at (default now). */
  now?: Date;
}

/**
 * Renews a stored certificate of the group: a new certificate (new id, serial,
 * validity) recording the old one as its parent, so revoking the old one
 * revokes it too. Through the API it is for the SAME public key (the DP keeps
 * its key file) and the window does not apply; over the connection it is for
 * the key of the DP's CSR (throws CsrError) and only inside the renewal
 * window. Either way a certificate is renewed once (lineage.ts). The old
 * certificate stays valid until it expires or is revoked, so a running DP is
 * not cut off before it reconnects with the new one.
 */
export async function renewDpCertificate(
  db: Db,
  runtimeGroupId: string,
  certificateId: string,
  secretKey: SecretKey,
  opts: RenewOptions = {},
): Promise<SignedDpCertificate | RenewalRefusal> {
  const csr = opts.csrPem === undefined ? undefined : await parseCsr(opts.csrPem);
  const ca = await loadGroupCa(db, runtimeGroupId, secretKey);
  const signed = await db.$transaction(async (tx) => {
    await lockGroupCertificates(tx, runtimeGroupId);
    const parent = await findRenewalParent(tx, runtimeGroupId, certificateId);
    const refusal = renewalRefusal(parent, csr !== undefined, opts.now ?? new Date());
    if (refusal || !parent) return refusal ?? { refused: 'not_found' as const };
    const publicKey = csr?.publicKey ?? new x509.X509Certificate(parent.certPem).publicKey;
    return signAndRecord(tx, runtimeGroupId, ca, publicKey, opts, parent.id);
  });
  if ('refused' in signed) return signed;
  return { id: signed.id, cert: signed.cert.toString('pem'), ca_cert: await clusterCaCertPem(db, secretKey), not_after: signed.cert.notAfter };
}
