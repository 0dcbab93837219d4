import { z } from 'zod';
import { timestamp, uuid } from '../primitives';

/** A node's sync status as the Runtime Manager shows it (docs/CLUSTER.md, Nodes and sync status). */
export const SYNC_STATUSES = ['Connected', 'Out of sync', 'Disconnected', 'Incompatible'] as const;
export const syncStatus = z.enum(SYNC_STATUSES);
export type SyncStatus = z.infer<typeof syncStatus>;

/** A data-plane node (runtime instance) as `GET /v1/runtime-groups/{rg}/nodes` answers it. */
export const dataPlaneNode = z.object({
  id: uuid,
  hostname: z.string(),
  ip: z.string().nullable(),
  version: z.string(),
  config_hash: z.string().nullable(),
  /** The last ping (or hello) any CP process heard from it, whole seconds. */
  last_seen: timestamp,
  sync_status: syncStatus,
  /** When the client certificate it connected with expires, whole seconds. */
  cert_not_after: timestamp.nullable(),
  /** Why it is Out of sync (its rejection error) or Incompatible; null otherwise. */
  last_error: z.string().nullable(),
  created_at: timestamp,
});
export type DataPlaneNode = z.infer<typeof dataPlaneNode>;

/** `GET /v1/runtime-groups/{rg}/expected-config-hash`: what a node in sync holds. */
export const expectedConfigHash = z.object({
  expected_hash: z.string().nullable(),
  version: z.number().int(),
});
export type ExpectedConfigHash = z.infer<typeof expectedConfigHash>;
