// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Every key Gatehouse makes is ECDSA P-256, signing with SHA-256. */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
// Certificates start a little in the past so a peer whose clock runs behind still accepts them.
const BACKDATE_MS = 5 * 60_000;

/** A certificate authority loaded in memory: its certificate and signing key. */
export interface Authority {
  cert: x509.X509Certificate;
  certPem: string;
  signingKey: CryptoKey;
}

/** A freshly made key pair, private key as PKCS#8 PEM. */
export interface KeyPair {
  keys: CryptoKeyPair;
  privateKeyPem: string;
}

export async function generateKeyPair(): Promise<KeyPair> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keys, privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** Loads a CA from its certificate PEM and its (decrypted) PKCS#8 private key PEM. */
export async function loadAuthority(certPem: string, privateKeyPem: string): Promise<Authority> {
  const der = x509.PemConverter.decode(privateKeyPem)[0];
  if (!der) throw new Error('empty private key PEM');
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
  return { cert: new x509.X509Certificate(certPem), certPem, signingKey };
}

/** A positive random 128-bit serial number, hex (RFC 5280 allows up to 20 octets). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes.writeUInt8(bytes.readUInt8(0) & 0x7f, 0);
  return bytes.toString('hex');
}

/** Creates a self-signed CA certificate (path length 0: it signs only end-entity certificates). */
export async function createAuthority(subject: string, validityDays: number): Promise<{ authority: Authority; privateKeyPem: string }> {
  const { keys, privateKeyPem } = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + validityDays * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { authority: { cert, certPem, signingKey: keys.privateKey }, privateKeyPem };
}

/**
 * The key a leaf certificate certifies. Narrower than x509.PublicKeyType, whose
 * BufferSource member is a DOM type this Node build does not have.
 */
export type LeafPublicKey = x509.PublicKey | CryptoKey;

/** What an end-entity certificate is for: a DP client, or the CP's cluster listener (with its names). */
export type LeafUsage = { kind: 'client' } | { kind: 'server'; names: string[] };

/** Signs an end-entity certificate for `publicKey` with `ca`, valid from `startsAt` (default now) for `validityDays`. */
export async function signLeaf(
  ca: Authority,
  publicKey: LeafPublicKey,
  subject: string,
  validityDays: number,
  usage: LeafUsage,
  startsAt?: Date,
): Promise<x509.X509Certificate> {
  const now = startsAt?.getTime() ?? Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([usage.kind === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  if (usage.kind === 'server') {
    const names = [...new Set(usage.names)].map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n }));
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + validityDays * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey,
    signingKey: ca.signingKey,
    extensions,
  });
}

/** SHA-256 of a certificate's DER encoding, lowercase hex: how a presented certificate is looked up. */
export function certificateFingerprint(der: ArrayBuffer | Uint8Array): string {
  return createHash('sha256')
    .update(der instanceof Uint8Array ? der : new Uint8Array(der))
    .digest('hex');
}

/** Parses and checks a CSR (PEM): well-formed and signed by the key it carries (proof of possession). */
export async function parseCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (err) {
    throw new CsrError('not a PEM certificate signing request', err);
  }
  const ok = await csr.verify().catch(() => false);
  if (!ok) throw new CsrError('the CSR signature does not verify');
  return csr;
}

/** A CSR that cannot be signed; the message says why. */
export class CsrError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

export { x509 };
