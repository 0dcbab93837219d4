import { z } from 'zod';
import { timestamp, uuid } from '../primitives';

/**
 * A DP certificate may be renewed (a new one issued over the cluster
 * connection) only in its last this-many days of validity, and only once.
 * The DP asks from then on; the CP refuses earlier requests (docs/CLUSTER.md, Renewal).
 */
export const DP_CERT_RENEWAL_WINDOW_DAYS = 30;

/** A data-plane client certificate as listed (never with a private key). */
export const dpCertificate = z.object({
  id: uuid,
  cert: z.string(),
  serial: z.string(),
  /** SHA-256 of the DER encoding, lowercase hex. */
  fingerprint: z.string(),
  not_before: timestamp,
  not_after: timestamp,
  revoked: z.boolean(),
  revoked_at: timestamp.nullable(),
  created_at: timestamp,
  /** The certificate this one renewed (null for one issued fresh); revoking that one revoked or revokes this one too. */
  parent_id: uuid.nullable(),
});
export type DpCertificate = z.infer<typeof dpCertificate>;

/** The answer to issuing a certificate: the only time the private key is given out. */
export const issuedDpCertificate = z.object({
  id: uuid,
  cert: z.string(),
  key: z.string(),
  /** The cluster CA: what the DP verifies the CP with (GATEHOUSE_CLUSTER_CA). */
  ca_cert: z.string(),
  not_after: timestamp,
});
export type IssuedDpCertificate = z.infer<typeof issuedDpCertificate>;

/** The answer to renewing: a new certificate for the same key, so no `key`. */
export const renewedDpCertificate = issuedDpCertificate.omit({ key: true });
export type RenewedDpCertificate = z.infer<typeof renewedDpCertificate>;

/** Optional body of issue and renew: the validity in days (default 180). */
export const dpCertificateInput = z.object({ validity_days: z.number().int('must be an integer').min(1).max(3650).optional() }).strict();
