import { DISCONNECTED_AFTER_MS, OUT_OF_SYNC_AFTER_MS, type SyncStatus } from '@gatehouse/protocol';

/** What the sync status of a node is computed from (a nodes row). */
export interface NodeSyncFacts {
  lastSeen: Date;
  configHash: string | null;
  /** When the node started reporting its current config_hash. */
  hashSince: Date;
  /** The hash of the last snapshot it rejected, cleared when it applies one. */
  rejectedHash: string | null;
  /** Why it cannot be served (version or plugins), or null. */
  incompatible: string | null;
}

/** What it is compared with: the group's current snapshot. */
export interface GroupSyncFacts {
  /** The hash of the group's current snapshot; null when it has none that can be served. */
  expectedHash: string | null;
  /** When the group's config last changed. */
  changedAt: Date;
}

/**
 * A node's sync status (docs/CLUSTER.md, Nodes and sync status), computed at
 * read time so it is the same on every CP process:
 * - Disconnected: no ping for 30 s or more — checked first, so a quiet node is
 *   never shown Connected (nor Incompatible: it is gone);
 * - Incompatible: the CP sends it nothing;
 * - Out of sync: it rejected the current snapshot, or it has held another hash
 *   for more than 10 s — counted from the later of its own hash change and the
 *   group's last config change, so normal propagation is never flagged;
 * - Connected: otherwise (on the current hash, or within that 10 s grace).
 */
export function computeSyncStatus(node: NodeSyncFacts, group: GroupSyncFacts, now: Date = new Date()): SyncStatus {
  const t = now.getTime();
  if (t - node.lastSeen.getTime() >= DISCONNECTED_AFTER_MS) return 'Disconnected';
  if (node.incompatible !== null) return 'Incompatible';
  if (group.expectedHash === null) return 'Connected';
  if (node.rejectedHash === group.expectedHash) return 'Out of sync';
  if (node.configHash === group.expectedHash) return 'Connected';
  const offSince = Math.max(node.hashSince.getTime(), group.changedAt.getTime());
  return t - offSince > OUT_OF_SYNC_AFTER_MS ? 'Out of sync' : 'Connected';
}
