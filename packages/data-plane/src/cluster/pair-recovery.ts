import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { isTemporaryOf, removeAbandonedTemporariesSync, syncDirectorySync } from '@gatehouse/protocol/node';

/**
 * Repairs what a crash during a renewal left beside the pair: finishes a
 * renewal cut between its renames (finishInterruptedRenewal), then removes
 * the temporary files of renewals cut earlier, once no live writer can own
 * them (removeAbandonedTemporariesSync: another process's, over a minute
 * old). Never throws.
 */
export function recoverPair(certPath: string, keyPath: string): void {
  finishInterruptedRenewal(certPath, keyPath);
  removeAbandonedTemporariesSync(certPath);
  removeAbandonedTemporariesSync(keyPath);
}

/**
 * Finishes a renewal that a crash cut between its two renames. A renewal
 * (renewal.ts) makes both new files complete and flushed under temporary
 * names, renames the key, then the certificate; cut in between, the new key
 * sits beside the old certificate and the new certificate is still a
 * temporary file beside it. When the key on disk does not match the
 * certificate on disk, the temporary certificate that does match it is
 * renamed into place, so the pair is the new one whole. Answers true when it
 * finished one; never throws (anything unreadable is left for the caller
 * to report).
 */
export function finishInterruptedRenewal(certPath: string, keyPath: string): boolean {
  let key: Buffer;
  try {
    key = publicKeyOf(fs.readFileSync(keyPath, 'utf8'));
    if (certKey(fs.readFileSync(certPath, 'utf8'))?.equals(key)) return false;
  } catch {
    return false;
  }
  const dir = path.dirname(certPath);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  for (const name of names) {
    if (!isTemporaryOf(certPath, name)) continue;
    const temporary = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(temporary, 'utf8');
    } catch {
      continue;
    }
    if (!certKey(text)?.equals(key)) continue;
    try {
      fs.renameSync(temporary, certPath);
      syncDirectorySync(dir);
      return true;
    } catch {
      // Read-only or vanished meanwhile (a renewal in this process finished it): nothing to finish here.
      return false;
    }
  }
  return false;
}

function publicKeyOf(keyPem: string): Buffer {
  return createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
}

// A file still being written (or not a certificate at all) answers undefined.
function certKey(certPem: string): Buffer | undefined {
  try {
    return new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}
