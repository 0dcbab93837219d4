// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

/** A data-plane certificate and its private key, both PEM. */
export interface CertificatePair {
  cert: string;
  key: string;
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

/** `count` real pairs, each with its own key, signed by one fresh CA (as a runtime group's CA signs its DPs' certificates). */
export async function certificatePairs(count: number): Promise<CertificatePair[]> {
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=fault test CA',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const pairs: CertificatePair[] = [];
  for (let i = 0; i < count; i++) {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (i + 2).toString(16).padStart(2, '0'),
      subject: 'CN=Gatehouse data plane',
      issuer: ca.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + (100 + i) * DAY),
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: alg,
    });
    const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
    pairs.push({ cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n` });
  }
  return pairs;
}
