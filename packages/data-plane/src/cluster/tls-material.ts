import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { recoverPair } from './pair-recovery';

/** Where the cluster certificate, its key and the CP's CA are read from. */
export interface ClusterTlsPaths {
  certPath: string;
  keyPath: string;
  /** PEM of the CA that signed the CP's cluster certificate; absent: the system's CAs. */
  caPath?: string;
  /** GATEHOUSE_DP_DIR: holds a renewed pair when the configured paths are read-only. */
  dpDir: string;
}

/** The client certificate in use, read fresh from disk for every connection attempt. */
export interface ClusterTlsMaterial {
  cert: string;
  key: string;
  ca?: string;
  notAfter: Date;
  subject: string;
  /** Where this pair lives, so that a renewal replaces the pair that is in use. */
  certPath: string;
  keyPath: string;
}

/** The fallback pair a renewal writes when the configured files cannot be replaced (e.g. read-only mounts in Docker). */
export function renewedPaths(dpDir: string): { certPath: string; keyPath: string } {
  return { certPath: path.join(dpDir, 'cluster-renewed.crt'), keyPath: path.join(dpDir, 'cluster-renewed.key') };
}

/**
 * Reads the configured pair, preferring the renewed pair in the DP dir when it
 * was issued by the same CA and lasts longer. Reading at every attempt is what
 * lets a manual renewal (new files, then restart or reconnect) take effect.
 * A renewal a crash cut between its two renames is finished first, so the
 * pair read always belongs together, and what older cut renewals left is removed. Throws with the file named when a file is missing or is not a certificate.
 */
export function loadTlsMaterial(paths: ClusterTlsPaths): ClusterTlsMaterial {
  const renewed = renewedPaths(paths.dpDir);
  recoverPair(paths.certPath, paths.keyPath);
  recoverPair(renewed.certPath, renewed.keyPath);
  const configured = readPair(paths.certPath, paths.keyPath);
  let chosen = configured;
  if (fs.existsSync(renewed.certPath) && fs.existsSync(renewed.keyPath)) {
    try {
      const candidate = readPair(renewed.certPath, renewed.keyPath);
      const sameIssuer = candidate.x509.issuer === configured.x509.issuer;
      if (sameIssuer && new Date(candidate.x509.validTo) > new Date(configured.x509.validTo)) chosen = candidate;
    } catch {
      // A damaged fallback pair is ignored: the configured one still works.
    }
  }
  const ca = paths.caPath ? readText(paths.caPath) : undefined;
  return {
    cert: chosen.cert,
    key: chosen.key,
    ca,
    notAfter: new Date(chosen.x509.validTo),
    subject: chosen.x509.subject,
    certPath: chosen.certPath,
    keyPath: chosen.keyPath,
  };
}

function readPair(certPath: string, keyPath: string): { cert: string; key: string; x509: X509Certificate; certPath: string; keyPath: string } {
  const cert = readText(certPath);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`${certPath} is not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
  return { cert, key: readText(keyPath), x509, certPath, keyPath };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}
