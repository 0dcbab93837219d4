import type { Db } from '../database/client';

/** The PostgreSQL channel that carries "this DP certificate was revoked" (payload: its id). */
export const REVOCATION_CHANNEL = 'gatehouse_cert_revoked';

/**
 * Revokes a group's DP certificate. The NOTIFY is queued in the same
 * transaction, so every CP process hears of it exactly when the revocation is
 * committed and closes the connections that use it. Revoking twice is a no-op
 * that still succeeds (and re-notifies, which is harmless).
 * Answers false when the certificate is not in this group.
 */
export async function revokeDpCertificate(db: Db, runtimeGroupId: string, certificateId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`UPDATE dp_certificates SET revoked_at = COALESCE(revoked_at, now())
      WHERE id = ${certificateId}::uuid AND runtime_group_id = ${runtimeGroupId}::uuid`;
    if (updated === 0) return false;
    await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${certificateId})`;
    return true;
  });
}
