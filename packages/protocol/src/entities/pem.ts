import { z } from 'zod';

/**
 * PEM text as the shared schemas can check it without a crypto library (they
 * also run in browsers): the block a field must hold. The control plane then
 * parses it with node:crypto (`@gatehouse/protocol/node`'s tls/) and reports
 * what OpenSSL says, as Kong's `invalid certificate: …` / `invalid key: …`.
 */
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN ((RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/** At most 64 KiB: a long chain fits, a runaway body does not. */
const MAX_PEM = 65536;

/** A PEM certificate (Kong's `certificate` typedef): one or more CERTIFICATE blocks, leaf first. */
export const pemCertificate = z
  .string()
  .max(MAX_PEM, `length must be at most ${MAX_PEM}`)
  .refine((v) => CERT_BLOCK.test(v), 'invalid certificate: no PEM CERTIFICATE block');

/** A PEM private key (Kong's `key` typedef): PKCS#8, PKCS#1 (RSA) or SEC1 (EC). */
export const pemPrivateKey = z
  .string()
  .max(MAX_PEM, `length must be at most ${MAX_PEM}`)
  .refine((v) => KEY_BLOCK.test(v), 'invalid key: no PEM PRIVATE KEY block');

/**
 * How a certificate stands with its expiry: `expiring` within 30 days,
 * `expired` past its "Not After", `unknown` when the CP cannot read it (a
 * secret reference, resolved on the data plane).
 */
export const expiryState = z.enum(['valid', 'expiring', 'expired', 'unknown']);
export type ExpiryState = z.infer<typeof expiryState>;

/** The warning window of `expiring`, in seconds (30 days). */
export const EXPIRING_WITHIN_SECONDS = 30 * 24 * 3600;

/** The expiry state of a certificate whose "Not After" is `expiresAt` (unix seconds), at `now` (unix seconds). */
export function expiryStateAt(expiresAt: number, now: number): ExpiryState {
  if (expiresAt <= now) return 'expired';
  return expiresAt - now <= EXPIRING_WITHIN_SECONDS ? 'expiring' : 'valid';
}

/** A PEM body without whitespace: what tells two certificates apart whatever their line breaks. */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/**
 * A short name for a certificate in files, diffs and messages: the last 24
 * characters of its first block's base64, which fall in its signature (144
 * random bits), so two certificates never share it by chance.
 */
export function certificateTag(pem: string): string {
  const first = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  const body = pemBody(first?.[1] ?? pem).replace(/=+$/, '');
  return `cert:…${body.slice(-24)}`;
}
