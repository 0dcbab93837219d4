import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 86_400_000;

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  cert: string;
  key: string;
}

export interface CertOptions {
  /** `rsa` (2048-bit, SHA-256) or `ecdsa` (P-256). */
  type?: 'rsa' | 'ecdsa';
  /** Subject CN and DNS names (the first is the CN). */
  names?: string[];
  /** Days from now the certificate stops being valid (negative: already expired). */
  expiresInDays?: number;
  /** A CA certificate (basicConstraints CA:TRUE, keyCertSign). */
  ca?: boolean;
}

const ALGORITHMS = {
  rsa: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
  ecdsa: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
} as const;

/**
 * A real self-signed certificate made with WebCrypto and @peculiar/x509 (the
 * CP's own PKI library): openssl 3.0's command line cannot date a
 * certificate in the past, which expired ones need.
 */
export async function makeCertificate(opts: CertOptions = {}): Promise<CertAndKey> {
  const algorithm = ALGORITHMS[opts.type ?? 'ecdsa'];
  const names = opts.names ?? ['example.test'];
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const notAfter = new Date(Date.now() + (opts.expiresInDays ?? 365) * DAY_MS);
  const notBefore = new Date(Math.min(Date.now() - DAY_MS, notAfter.getTime() - DAY_MS));
  const extensions: x509.Extension[] = [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))];
  if (opts.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: `CN=${names[0] ?? 'example.test'}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: algorithm,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
