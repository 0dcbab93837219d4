import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * What OpenSSL (through node:crypto) says about the PEM of certificate
 * entities, in Kong's words: the checks the browser-safe schemas cannot do.
 * Each check answers problems by field, empty when all is well.
 */

const CERT_BEGIN = '-----BEGIN CERTIFICATE-----';

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/^Error: /, '');
}

/** The first certificate of a PEM (the leaf of a chain), or why it does not parse. */
export function parseCertificate(pem: string): X509Certificate | string {
  try {
    const cert = new X509Certificate(pem);
    // A damaged certificate may parse and still have no readable key.
    publicDer(cert.publicKey);
    return cert;
  } catch (err) {
    return `invalid certificate: ${reason(err)}`;
  }
}

/** A PEM private key, or why it does not parse (a key with a passphrase does not). */
export function parsePrivateKey(pem: string): KeyObject | string {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    return `invalid key: ${reason(err)}`;
  }
}

/** "Not After" of a certificate, in unix seconds. */
export function notAfterSeconds(cert: X509Certificate): number {
  return Math.floor(new Date(cert.validTo).getTime() / 1000);
}

function publicDer(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  return publicDer(cert.publicKey) === publicDer(createPublicKey(key));
}

/** The fields of a certificate entity. */
export interface CertificatePem {
  cert: string;
  key: string;
  cert_alt?: string | null;
  key_alt?: string | null;
}

/**
 * Kong's checks of a certificate: each PEM parses, each key matches its
 * certificate, and the alternative certificate has the other key type.
 * Answers the problems by field and, when there are none, the earlier
 * "Not After" of the two certificates.
 */
export function checkCertificate(c: CertificatePem): { problems: Record<string, string>; expiresAt: number } {
  const problems: Record<string, string> = {};
  const pair = (certField: 'cert' | 'cert_alt', keyField: 'key' | 'key_alt', mismatch: string): X509Certificate | undefined => {
    const certPem = c[certField];
    const keyPem = c[keyField];
    if (typeof certPem !== 'string' || typeof keyPem !== 'string') return undefined;
    const cert = parseCertificate(certPem);
    const key = parsePrivateKey(keyPem);
    if (typeof cert === 'string') problems[certField] = cert;
    if (typeof key === 'string') problems[keyField] = key;
    if (typeof cert === 'string' || typeof key === 'string') return undefined;
    try {
      if (!keyMatches(cert, key)) problems[keyField] = mismatch;
    } catch (err) {
      problems[keyField] = `invalid key: ${reason(err)}`;
    }
    return cert;
  };
  const main = pair('cert', 'key', 'certificate does not match key');
  const alt = pair('cert_alt', 'key_alt', 'alternative certificate does not match key');
  if (main && alt && main.publicKey.asymmetricKeyType === alt.publicKey.asymmetricKeyType) {
    problems.cert_alt =
      'certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type';
  }
  const expiries = [main, alt].flatMap((x) => (x ? [notAfterSeconds(x)] : []));
  return { problems, expiresAt: expiries.length > 0 ? Math.min(...expiries) : 0 };
}

/** SHA-256 of a certificate's DER, lower-case hex (Kong's `cert_digest`). */
export function certificateDigest(cert: X509Certificate): string {
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

/**
 * Kong's checks of a CA certificate: one certificate only, parsable, not
 * expired, with the CA basic constraint. Answers its problems (on `cert`)
 * or its digest and "Not After".
 */
export function checkCaCertificate(pem: string, nowSeconds: number): { problem: string } | { digest: string; expiresAt: number } {
  const first = pem.indexOf(CERT_BEGIN);
  if (first >= 0 && pem.includes(CERT_BEGIN, first + CERT_BEGIN.length + 1)) return { problem: 'please submit only one certificate at a time' };
  const cert = parseCertificate(pem);
  if (typeof cert === 'string') return { problem: cert };
  const expiresAt = notAfterSeconds(cert);
  if (expiresAt < nowSeconds) return { problem: 'certificate expired, "Not After" time is in the past' };
  if (!cert.ca) return { problem: 'certificate does not appear to be a CA because it is missing the "CA" basic constraint' };
  return { digest: certificateDigest(cert), expiresAt };
}

/** "Not After" of the first certificate of a PEM, unix seconds; 0 when it does not parse (never stored). */
export function pemNotAfter(pem: string): number {
  const cert = parseCertificate(pem);
  return typeof cert === 'string' ? 0 : notAfterSeconds(cert);
}
