import type { Db } from '../database/client';
import { clusterCaCertPem } from './cluster-ca';
import type { SecretKey } from './key-encryption';
import { loadGroupCa } from './group-ca';
import { certificateFingerprint, generateKeyPair, parseCsr, signLeaf, x509, type Authority } from './pki';

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

/** A certificate signed for a key the CP never saw (a CSR, or a renewal of a stored certificate). */
export interface SignedDpCertificate {
  id: string;
  cert: string;
  ca_cert: string;
  not_after: Date;
}

function dpSubject(runtimeGroupId: string): string {
  return `CN=Gatehouse data plane, OU=${runtimeGroupId}, O=Gatehouse`;
}

/** Signs `publicKey` with the group's CA and records the certificate (serial, SHA-256 fingerprint, validity). */
async function signAndRecord(db: Db, runtimeGroupId: string, ca: Authority, publicKey: x509.PublicKeyType, opts: IssueOptions): Promise<{ id: string; cert: x509.X509Certificate }> {
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

/**
 * Signs a DP's certificate signing request (PEM) with the group's CA: how a DP
 * renews over its connection, keeping its new private key to itself. The CSR
 * must carry a valid self-signature (proof of possession); its subject is
 * ignored — the CP decides what the certificate says. Throws CsrError.
 */
export async function signCsr(db: Db, runtimeGroupId: string, secretKey: SecretKey, csrPem: string, opts: IssueOptions = {}): Promise<SignedDpCertificate> {
  const csr = await parseCsr(csrPem);
  const ca = await loadGroupCa(db, runtimeGroupId, secretKey);
  const { id, cert } = await signAndRecord(db, runtimeGroupId, ca, csr.publicKey, opts);
  return { id, cert: cert.toString('pem'), ca_cert: await clusterCaCertPem(db, secretKey), not_after: cert.notAfter };
}

/**
 * Renews a stored certificate: a new certificate (new id, serial, validity)
 * for the SAME public key, so the DP keeps its key file and only swaps the
 * certificate. The old certificate stays valid until it expires or is revoked,
 * so a running DP is not cut off before it restarts with the new one.
 * Answers undefined when the certificate is not in this group; refuses a revoked one.
 */
export async function renewDpCertificate(db: Db, runtimeGroupId: string, certificateId: string, secretKey: SecretKey, opts: IssueOptions = {}): Promise<SignedDpCertificate | 'revoked' | undefined> {
  const old = await db.dpCertificate.findFirst({ where: { id: certificateId, runtimeGroupId } });
  if (!old) return undefined;
  if (old.revokedAt) return 'revoked';
  const ca = await loadGroupCa(db, runtimeGroupId, secretKey);
  const { id, cert } = await signAndRecord(db, runtimeGroupId, ca, new x509.X509Certificate(old.certPem).publicKey, opts);
  return { id, cert: cert.toString('pem'), ca_cert: await clusterCaCertPem(db, secretKey), not_after: cert.notAfter };
}
