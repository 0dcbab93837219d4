import { Badge } from '@mantine/core';

const STATUSES: Record<string, { label: string; color: string }> = {
  connected: { label: 'Connected', color: 'green' },
  out_of_sync: { label: 'Out of sync', color: 'orange' },
  disconnected: { label: 'Disconnected', color: 'gray' },
  incompatible: { label: 'Incompatible', color: 'red' },
};

/** The key of a sync status however the API spells it (`Out of sync`, `out_of_sync`, `out-of-sync`). */
export function syncStatusKey(status: string): string {
  return status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * A node's **Sync Status** as a coloured badge: Connected green, Out of sync
 * orange, Disconnected grey, Incompatible red (docs/UI.md, Decisions).
 */
export function SyncStatusBadge({ status }: { status: string }) {
  const known = STATUSES[syncStatusKey(status)];
  return (
    <Badge color={known?.color ?? 'gray'} variant="filled" tt="none" data-status={syncStatusKey(status)}>
      {known?.label ?? status}
    </Badge>
  );
}
