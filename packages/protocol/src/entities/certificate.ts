import { z } from 'zod';
import { tags, timestamp, uuid } from '../primitives';
import { expiryState, pemCertificate, pemPrivateKey } from './pem';
import { sniName } from './sni-name';
import { referenceable } from '../vault/referenceable';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

// Kong marks all four referenceable: a `{vault://...}` reference is resolved on the data plane (docs/SECURITY.md).
const certificateFields = z
  .object({
    cert: referenceable(pemCertificate),
    key: referenceable(pemPrivateKey),
    cert_alt: optional(referenceable(pemCertificate)),
    key_alt: optional(referenceable(pemPrivateKey)),
    tags,
  })
  .strict();

type Fields = z.output<typeof certificateFields>;

/** Kong's `mutually_required` check of the alternative pair. */
function checkAltPair(c: Fields, ctx: z.RefinementCtx): void {
  const hasCert = c.cert_alt !== null && c.cert_alt !== undefined;
  const hasKey = c.key_alt !== null && c.key_alt !== undefined;
  if (hasCert !== hasKey) {
    ctx.addIssue({ code: 'custom', path: [hasCert ? 'key_alt' : 'cert_alt'], message: "all or none of these fields must be set: 'cert_alt', 'key_alt'" });
  }
}

const withNulls = (c: Fields) => ({ ...c, cert_alt: c.cert_alt ?? null, key_alt: c.key_alt ?? null });

/**
 * A certificate in a declarative file (Kong's Certificate; its SNIs are
 * nested `snis` entries, a kind of their own).
 */
export const declarativeCertificate = certificateFields.transform(withNulls).superRefine(checkAltPair);

/**
 * A certificate as written to the API: Kong's fields plus the `snis`
 * shortcut, the names of the SNIs that point at it (given, they replace
 * them; duplicates refused in Kong's words). The CP then checks the PEM
 * with node:crypto: that each parses, that each key matches its
 * certificate, and that the alternative pair is of the other key type.
 */
export const certificateInput = certificateFields
  .extend({
    snis: optional(
      z.array(sniName).superRefine((names, ctx) => {
        const seen = new Set<string>();
        for (const n of names) {
          if (seen.has(n)) ctx.addIssue({ code: 'custom', message: `${n} is duplicated` });
          seen.add(n);
        }
      }),
    ),
  })
  .transform((c) => ({ ...withNulls(c), snis: c.snis }))
  .superRefine(checkAltPair);
export type CertificateInput = z.input<typeof certificateInput>;
export type CertificateFields = z.output<typeof declarativeCertificate>;

/**
 * A certificate as the API answers it: the private keys never (Gatehouse
 * keeps them encrypted and ships them only to data planes), the names of
 * its SNIs (sorted), and its expiry — `expires_at` the earlier "Not After"
 * of `cert` and `cert_alt` (unix seconds), `expiry_state` by it.
 */
export const certificate = z.object({
  id: uuid,
  cert: z.string(),
  cert_alt: z.string().nullable(),
  snis: z.array(z.string()),
  tags: z.array(z.string()),
  expires_at: z.number().int(),
  expiry_state: expiryState,
  created_at: timestamp,
  updated_at: timestamp,
});
export type Certificate = z.infer<typeof certificate>;

/** A certificate as data planes get it: with its private keys in PEM (the cluster link is mTLS), or the references written in their place. */
export const snapshotCertificate = z.object({
  id: uuid,
  // Referenceable here too: the data plane resolves the references it finds by this shape.
  cert: referenceable(z.string()),
  key: referenceable(z.string()),
  cert_alt: referenceable(z.string()).nullable(),
  key_alt: referenceable(z.string()).nullable(),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type SnapshotCertificate = z.infer<typeof snapshotCertificate>;
