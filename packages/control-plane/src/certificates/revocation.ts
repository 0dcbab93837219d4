import type { Db } from '../database/client';
import { lockGroupCertificates } from './lineage';

/** The PostgreSQL channel that carries "this DP certificate was revoked" (payload: its id). */
export const REVOCATION_CHANNEL = 'gatehouse_cert_revoked';

/**
 * Revokes a group's DP certificate and every certificate renewed from it,
 * transitively (a leaked certificate cannot outlive its revocation through
 * what it renewed). One NOTIFY per revoked certificate is queued in the same
 * transaction, so every CP process hears of them exactly when the revocation
 * is committed and closes the connections that use them. Under the group's
 * certificate lock, no renewal can add a child meanwhile. Revoking twice is a
 * no-op that still succeeds (and re-notifies, which is harmless).
 * Answers the ids revoked (the certificate first), or undefined when the
 * certificate is not in this group.
 */
export async function revokeDpCertificate(db: Db, runtimeGroupId: string, certificateId: string): Promise<string[] | undefined> {
  return db.$transaction(async (tx) => {
    await lockGroupCertificates(tx, runtimeGroupId);
    // A new statement after the lock: its snapshot holds every child committed before it.
    const rows = await tx.$queryRaw<{ id: string; depth: number }[]>`
      WITH RECURSIVE lineage(id, depth) AS (
        SELECT id, 0 FROM dp_certificates WHERE id = ${certificateId}::uuid AND runtime_group_id = ${runtimeGroupId}::uuid
        UNION ALL
        SELECT c.id, l.depth + 1 FROM dp_certificates c JOIN lineage l ON c.parent_id = l.id
      )
      UPDATE dp_certificates d SET revoked_at = COALESCE(d.revoked_at, now())
      FROM lineage l WHERE d.id = l.id
      RETURNING d.id::text AS id, l.depth`;
    if (rows.length === 0) return undefined;
    const ids = rows.sort((a, b) => a.depth - b.depth).map((r) => r.id);
    for (const id of ids) await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${id})`;
    return ids;
  });
}
