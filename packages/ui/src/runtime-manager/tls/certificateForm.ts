import type { Certificate } from '@gatehouse/protocol';

/** What the certificate dialog holds, as typed. */
export interface CertificateFormValues {
  cert: string;
  key: string;
  cert_alt: string;
  key_alt: string;
  snis: string[];
  tags: string[];
}

export function certificateFormFrom(c: Certificate | null): CertificateFormValues {
  return { cert: c?.cert ?? '', key: '', cert_alt: c?.cert_alt ?? '', key_alt: '', snis: c?.snis ?? [], tags: c?.tags ?? [] };
}

/**
 * Stands in for a private key the CP keeps (and never answers) when the form
 * checks an edit with the API's schema: the key field left empty means
 * "keep the stored one", which the schema alone cannot know. Never sent.
 */
const STORED_KEY = '-----BEGIN PRIVATE KEY-----\nstored\n-----END PRIVATE KEY-----';

const blank = (s: string): boolean => s.trim() === '';
const orUndefined = (s: string): string | undefined => (blank(s) ? undefined : s);

/**
 * The body to check with `certificateInput` and the body to send. A new
 * certificate is POSTed whole; an edit is a PATCH that sends a key only when
 * a new one was pasted (the stored keys stay otherwise), and clears the
 * alternative pair when its certificate is emptied.
 */
export function certificateBodies(v: CertificateFormValues, editing: Certificate | null): { check: Record<string, unknown>; send: Record<string, unknown> } {
  const alt = !blank(v.cert_alt);
  if (!editing) {
    const body = {
      cert: orUndefined(v.cert),
      key: orUndefined(v.key),
      cert_alt: alt ? v.cert_alt : null,
      key_alt: orUndefined(v.key_alt) ?? null,
      snis: v.snis,
      tags: v.tags,
    };
    return { check: body, send: body };
  }
  const send: Record<string, unknown> = { cert: orUndefined(v.cert), snis: v.snis, tags: v.tags };
  if (!blank(v.key)) send.key = v.key;
  if (!alt) {
    send.cert_alt = null;
    send.key_alt = null;
  } else {
    send.cert_alt = v.cert_alt;
    if (!blank(v.key_alt)) send.key_alt = v.key_alt;
  }
  // The stored alternative key stands in only while the stored alternative certificate is kept.
  const keptAltKey = editing.cert_alt !== null && alt ? STORED_KEY : null;
  const check = { ...send, key: send.key ?? STORED_KEY, key_alt: alt ? (send.key_alt ?? keptAltKey) : null };
  return { check, send };
}
