import { z } from 'zod';
import { tags, timestamp, uuid } from '../primitives';
import { expiryState, pemCertificate } from './pem';

/**
 * A CA certificate (Kong's CA Certificate): one PEM certificate that must
 * be a CA, and `cert_digest`, the SHA-256 (hex) of its DER, computed by
 * the CP when not given. The CP checks the PEM with node:crypto.
 */
export const caCertificateInput = z
  .object({
    cert: pemCertificate,
    cert_digest: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the certificate, in hex')
      .transform((d) => d.toLowerCase())
      .nullable()
      .optional(),
    tags,
  })
  .strict();
export type CaCertificateInput = z.input<typeof caCertificateInput>;
export type CaCertificateFields = z.output<typeof caCertificateInput>;

/** A CA certificate as the API answers it, with its expiry as a certificate's. */
export const caCertificate = z.object({
  id: uuid,
  cert: z.string(),
  cert_digest: z.string(),
  tags: z.array(z.string()),
  expires_at: z.number().int(),
  expiry_state: expiryState,
  created_at: timestamp,
  updated_at: timestamp,
});
export type CaCertificate = z.infer<typeof caCertificate>;

/** A CA certificate as data planes get it. */
export const snapshotCaCertificate = z.object({
  id: uuid,
  cert: z.string(),
  cert_digest: z.string(),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type SnapshotCaCertificate = z.infer<typeof snapshotCaCertificate>;
