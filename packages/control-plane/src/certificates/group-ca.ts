import type { Db } from '../database/client';
import { openPrivateKey, sealPrivateKey, type SecretKey } from './key-encryption';
import { createAuthority, loadAuthority, x509, type Authority } from './pki';

const GROUP_CA_VALIDITY_DAYS = 3650;

/** A runtime group that does not exist (deleted, or a wrong id). */
export class RuntimeGroupNotFoundError extends Error {
  constructor(readonly runtimeGroupId: string) {
    super(`runtime group ${runtimeGroupId} not found`);
  }
}

// Loaded authorities per group. A group's CA never changes once set, so caching is safe;
// a deleted group's entry is merely unused.
const authorities = new Map<string, Promise<Authority>>();
const publicCerts = new Map<string, x509.X509Certificate>();

/** The subject of a runtime group's CA; it names the group so a certificate chain is readable. */
export function groupCaSubject(runtimeGroupId: string): string {
  return `CN=Gatehouse runtime group ${runtimeGroupId}, O=Gatehouse`;
}

/**
 * Loads a runtime group's CA, creating it on first use. Concurrent creators
 * race on `UPDATE … WHERE ca_cert_pem IS NULL`: one wins and all read back the
 * winner, so a group never has two CAs. The private key is stored sealed
 * under the secret key.
 */
export async function loadGroupCa(db: Db, runtimeGroupId: string, secretKey: SecretKey): Promise<Authority> {
  let pending = authorities.get(runtimeGroupId);
  if (!pending) {
    pending = loadOrCreate(db, runtimeGroupId, secretKey);
    authorities.set(runtimeGroupId, pending);
    pending.catch(() => authorities.delete(runtimeGroupId));
  }
  return pending;
}

async function loadOrCreate(db: Db, runtimeGroupId: string, secretKey: SecretKey): Promise<Authority> {
  const read = () => db.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { caCertPem: true, caKeyEnc: true } });
  let row = await read();
  if (!row) throw new RuntimeGroupNotFoundError(runtimeGroupId);
  if (!row.caCertPem || !row.caKeyEnc) {
    const { authority, privateKeyPem } = await createAuthority(groupCaSubject(runtimeGroupId), GROUP_CA_VALIDITY_DAYS);
    await db.$executeRaw`UPDATE runtime_groups SET ca_cert_pem = ${authority.certPem}, ca_key_enc = ${sealPrivateKey(privateKeyPem, secretKey)}
      WHERE id = ${runtimeGroupId}::uuid AND ca_cert_pem IS NULL`;
    row = await read();
    if (!row?.caCertPem || !row.caKeyEnc) throw new RuntimeGroupNotFoundError(runtimeGroupId);
  }
  return loadAuthority(row.caCertPem, openPrivateKey(row.caKeyEnc, secretKey));
}

/**
 * A group CA's certificate only (no key, no secret needed): what the cluster
 * listener verifies client certificates against. Undefined when the group has
 * no CA (it never issued a certificate) or no longer exists.
 */
export async function groupCaCertificate(db: Db, runtimeGroupId: string): Promise<x509.X509Certificate | undefined> {
  const cached = publicCerts.get(runtimeGroupId);
  if (cached) return cached;
  const row = await db.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { caCertPem: true } });
  if (!row?.caCertPem) return undefined;
  const cert = new x509.X509Certificate(row.caCertPem);
  publicCerts.set(runtimeGroupId, cert);
  return cert;
}
