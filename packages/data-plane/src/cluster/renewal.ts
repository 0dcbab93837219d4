// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import fs from 'node:fs';
import { X509Certificate, createPublicKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import path from 'node:path';
import { DP_CERT_RENEWAL_WINDOW_DAYS } from '@gatehouse/protocol';
import { prepareFileDurable, syncDirectory, writeFileDurable, type PreparedFile } from '@gatehouse/protocol/node';
import { renewedPaths, type ClusterTlsMaterial } from './tls-material';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * A data plane asks for a new certificate once less than this much validity is
 * left (as Kong does: 30 days): the CP's renewal window, which refuses earlier requests.
 */
export const RENEW_BEFORE_MS = DP_CERT_RENEWAL_WINDOW_DAYS * 24 * 3600 * 1000;

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** True when the certificate ends within RENEW_BEFORE_MS of `now`. */
export function needsRenewal(notAfter: Date, now = Date.now()): boolean {
  return notAfter.getTime() - now < RENEW_BEFORE_MS;
}

/** A fresh private key (PKCS#8 PEM) and a CSR (PEM) for it, with the subject of the certificate in use. */
export interface RenewalRequest {
  csr: string;
  key: string;
}

/**
 * Generates a new P-256 key on this host (it never leaves it) and a CSR
 * signed with it. The subject is copied from the current certificate; the CP
 * decides the group from the certificate the connection was made with, not
 * from the CSR.
 */
export async function createRenewalRequest(currentCertPem: string): Promise<RenewalRequest> {
  const subject = new x509.X509Certificate(currentCertPem).subject;
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: KEY_ALGORITHM });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { csr: csr.toString('pem'), key: toPem(pkcs8, 'PRIVATE KEY') };
}

/**
 * Checks that an issued certificate belongs to the key we generated and
 * outlives the one in use; throws with the reason otherwise.
 */
export function checkIssuedCertificate(certPem: string, keyPem: string, current: ClusterTlsMaterial): X509Certificate {
  const issued = new X509Certificate(certPem);
  const certKey = issued.publicKey.export({ type: 'spki', format: 'der' });
  const ourKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  if (!certKey.equals(ourKey)) throw new Error('the issued certificate is not for the key this node generated');
  if (new Date(issued.validTo) <= current.notAfter) throw new Error('the issued certificate does not outlive the current one');
  return issued;
}

/**
 * Writes the renewed pair over the pair in use (cert 0644, key 0600), each file
 * atomically. When those files cannot be replaced (read-only mounts), writes
 * the pair into the DP dir instead, where `loadTlsMaterial` prefers it.
 * Answers where the pair was written.
 */
export async function installRenewedPair(
  certPem: string,
  keyPem: string,
  current: ClusterTlsMaterial,
  dpDir: string,
): Promise<{ certPath: string; keyPath: string; fallback: boolean }> {
  try {
    await replacePair(current.certPath, current.keyPath, certPem, keyPem);
    return { certPath: current.certPath, keyPath: current.keyPath, fallback: false };
  } catch {
    const paths = renewedPaths(dpDir);
    await fs.promises.mkdir(dpDir, { recursive: true });
    await replacePair(paths.certPath, paths.keyPath, certPem, keyPem);
    return { ...paths, fallback: true };
  }
}

/**
 * Both new files are complete and flushed under temporary names before
 * either is renamed; then the key is renamed, then the certificate. A crash
 * between the two renames leaves the new certificate as a temporary file,
 * which finishInterruptedRenewal (pair-recovery.ts) renames into place at
 * the next load. If the second rename fails the old key is put back.
 */
async function replacePair(certPath: string, keyPath: string, certPem: string, keyPem: string): Promise<void> {
  const prepared: PreparedFile[] = [];
  try {
    prepared.push(await prepareFileDurable(keyPath, keyPem, { mode: 0o600 }));
    prepared.push(await prepareFileDurable(certPath, certPem, { mode: 0o644 }));
    // The new certificate must survive a power cut before the key it belongs to replaces the old one.
    await syncDirectory(path.dirname(certPath));
  } catch (err) {
    await Promise.all(prepared.map((p) => p.abort()));
    throw err;
  }
  const [key, cert] = prepared as [PreparedFile, PreparedFile];
  const oldKey = fs.existsSync(keyPath) ? fs.readFileSync(keyPath, 'utf8') : undefined;
  try {
    await key.commit();
  } catch (err) {
    await cert.abort();
    throw err;
  }
  try {
    await cert.commit();
  } catch (err) {
    // A connection attempt in between may have finished the renewal itself (finishInterruptedRenewal).
    if (readOrUndefined(certPath) === certPem) return;
    if (oldKey !== undefined) await writeFileDurable(keyPath, oldKey, { mode: 0o600 });
    throw err;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
