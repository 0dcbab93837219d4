import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 86_400_000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate (PEM) with its private key (PKCS#8 PEM), and what it needs to sign others. */
export interface Issued {
  cert: string;
  key: string;
  subject: string;
  keys: webcrypto.CryptoKeyPair;
}

export interface IssueOptions {
  /** The subject's common name. */
  cn: string;
  /** DNS names in subjectAltName. */
  dns?: string[];
  /** IP addresses in subjectAltName. */
  ips?: string[];
  /** A CA (basicConstraints CA:TRUE, keyCertSign). */
  ca?: boolean;
}

function serial(): string {
  // A positive serial: the first byte below 0x80.
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/**
 * A real certificate made with WebCrypto and @peculiar/x509: self-signed
 * when `issuer` is absent (a root CA with `ca`), else signed by `issuer`.
 * For chains of a root, intermediates and a leaf in upstream TLS tests.
 */
export async function issue(opts: IssueOptions, issuer?: Issued): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const subject = `CN=${opts.cn}`;
  const extensions: x509.Extension[] = [];
  const names = [...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  if (opts.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  } else {
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: issuer?.subject ?? subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 30 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  // Each PEM ends with a newline, so a chain is the concatenation of its certificates.
  return { cert: `${cert.toString('pem').trimEnd()}\n`, key: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY').trimEnd()}\n`, subject, keys };
}
