// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { writeFileDurable } from '@gatehouse/protocol/node';
import type { PemPair } from './served-certificate';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 24 * 3600 * 1000;
/** Kong's generated default lasts 20 years. */
const VALIDITY_MS = 20 * 365 * DAY_MS;

const KINDS = {
  rsa: { file: 'default', algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } },
  ecdsa: { file: 'default-ecdsa', algorithm: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } },
} as const;

/** Generates one self-signed certificate for `localhost` as Kong's default: not a CA, for server and client authentication. */
async function generate(algorithm: (typeof KINDS)[keyof typeof KINDS]['algorithm']): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=localhost, O=Gatehouse',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + VALIDITY_MS),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

function read(dir: string, file: string): PemPair | null {
  try {
    return { cert: fs.readFileSync(path.join(dir, `${file}.crt`), 'utf8'), key: fs.readFileSync(path.join(dir, `${file}.key`), 'utf8') };
  } catch {
    return null;
  }
}

/**
 * The TLS listener's default certificates when none is configured, as Kong
 * generates at start: a self-signed RSA 2048 and ECDSA P-256 pair for
 * `localhost`, kept under `<dp dir>/tls/` (`default.crt`/`.key`,
 * `default-ecdsa.crt`/`.key`; keys mode 0600) so restarts and every proxy
 * worker serve the same ones. A pair already there is used as is.
 */
export async function defaultCertificates(dpDir: string): Promise<PemPair[]> {
  const dir = path.join(dpDir, 'tls');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pairs: PemPair[] = [];
  for (const kind of Object.values(KINDS)) {
    let pair = read(dir, kind.file);
    if (pair === null) {
      pair = await generate(kind.algorithm);
      await writeFileDurable(path.join(dir, `${kind.file}.key`), pair.key, { mode: 0o600 });
      await writeFileDurable(path.join(dir, `${kind.file}.crt`), pair.cert, { mode: 0o644 });
    }
    pairs.push(pair);
  }
  return pairs;
}
