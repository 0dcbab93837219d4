import type { Db } from '../database/client';

/** What a node says about itself at hello, plus what its certificate proved. */
export interface NodeRegistration {
  id: string;
  runtimeGroupId: string;
  hostname: string;
  ip: string | null;
  version: string;
  configHash: string | null;
  incompatible: string | null;
  certificateId: string;
  certNotAfter: Date;
}

/**
 * Records a node at hello (insert or update), with last_seen = now. Every
 * time comes from the database clock, so CP processes with skewed clocks
 * agree. A node id belongs to the runtime group (so the organization) that
 * first registered it: a row of another group is left untouched and this
 * answers false. Deleting the node through the API frees the id.
 */
export async function registerNode(db: Db, n: NodeRegistration): Promise<boolean> {
  const count = await db.$executeRaw`
    INSERT INTO nodes (id, runtime_group_id, hostname, ip, version, config_hash, incompatible, certificate_id, cert_not_after, hash_since, last_seen)
    VALUES (${n.id}::uuid, ${n.runtimeGroupId}::uuid, ${n.hostname}, ${n.ip}, ${n.version}, ${n.configHash}, ${n.incompatible},
            ${n.certificateId}::uuid, ${n.certNotAfter}, now(), now())
    ON CONFLICT (id) DO UPDATE SET
      hash_since = CASE WHEN nodes.config_hash IS DISTINCT FROM EXCLUDED.config_hash THEN now() ELSE nodes.hash_since END,
      hostname = EXCLUDED.hostname, ip = EXCLUDED.ip, version = EXCLUDED.version,
      config_hash = EXCLUDED.config_hash, incompatible = EXCLUDED.incompatible, certificate_id = EXCLUDED.certificate_id,
      cert_not_after = EXCLUDED.cert_not_after, last_seen = now()
    WHERE nodes.runtime_group_id = EXCLUDED.runtime_group_id`;
  return count > 0;
}

/** The node reports `hash` (a ping or `applied`): hash_since moves only when the hash changes. */
export async function recordNodeHash(db: Db, nodeId: string, hash: string | null, applied: boolean): Promise<void> {
  if (applied) {
    await db.$executeRaw`UPDATE nodes SET
      hash_since = CASE WHEN config_hash IS DISTINCT FROM ${hash} THEN now() ELSE hash_since END,
      config_hash = ${hash}, rejected_hash = NULL, last_error = NULL, last_seen = now()
      WHERE id = ${nodeId}::uuid`;
    return;
  }
  await db.$executeRaw`UPDATE nodes SET
    hash_since = CASE WHEN config_hash IS DISTINCT FROM ${hash} THEN now() ELSE hash_since END,
    config_hash = ${hash}, last_seen = now()
    WHERE id = ${nodeId}::uuid`;
}

/** The node rejected the snapshot with `hash`; it keeps serving its previous config. */
export async function recordNodeRejection(db: Db, nodeId: string, hash: string, error: string): Promise<void> {
  await db.$executeRaw`UPDATE nodes SET rejected_hash = ${hash}, last_error = ${error}, last_seen = now() WHERE id = ${nodeId}::uuid`;
}

/** Marks the node Incompatible (with the reason) or compatible again (null). */
export async function recordNodeIncompatibility(db: Db, nodeId: string, reason: string | null): Promise<void> {
  await db.$executeRaw`UPDATE nodes SET incompatible = ${reason} WHERE id = ${nodeId}::uuid`;
}

/**
 * Moves last_seen forward for nodes that pinged, in one statement. Each entry
 * carries how long ago (ms, by this process's clock) the ping arrived, so the
 * stored time is the database's `now()` minus that age: exact, and on the
 * same clock as every other node time. Answers the ids that no longer exist
 * (deleted through the API while connected).
 */
export async function touchNodes(db: Db, pings: readonly { id: string; ageMs: number }[]): Promise<string[]> {
  if (pings.length === 0) return [];
  const ids = pings.map((p) => p.id);
  const ages = pings.map((p) => Math.max(0, p.ageMs));
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE nodes AS n SET last_seen = GREATEST(n.last_seen, now() - u.age_ms * interval '1 millisecond')
    FROM unnest(${ids}::uuid[], ${ages}::float8[]) AS u(id, age_ms)
    WHERE n.id = u.id RETURNING n.id::text AS id`;
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}
