import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { dataPlaneNode, listPage, type DataPlaneNode } from '@gatehouse/protocol';
import { useResource } from '../data/useResource';
import { ago, daysUntil, shortDate } from '../data/time';
import type { Column } from '../components/DataTable';
import { ResourceTable } from '../components/ResourceTable';
import { SyncStatusBadge } from './SyncStatusBadge';

const POLL_MS = 3000;
const EXPIRY_WARNING_DAYS = 30;
const nodeList = listPage(dataPlaneNode);

/** When the node's certificate expires, flagged once fewer than 30 days are left. */
function CertificateExpiry({ notAfter }: { notAfter: DataPlaneNode['cert_not_after'] }) {
  const days = daysUntil(notAfter);
  if (days === null) return <>—</>;
  if (days >= EXPIRY_WARNING_DAYS) return <>{shortDate(notAfter)}</>;
  return (
    <Tooltip label="Renew the certificate: re-run Configure Runtime or renew it under Certificates">
      <Badge color={days < 0 ? 'red' : 'yellow'} variant="light" tt="none">
        {days < 0 ? `Expired ${shortDate(notAfter)}` : `Expires in ${days} days`}
      </Badge>
    </Tooltip>
  );
}

const COLUMNS: Column<DataPlaneNode>[] = [
  {
    label: 'Host',
    render: (n) => (
      <>
        {n.hostname}
        {n.ip && (
          <Text size="xs" c="dimmed">
            {n.ip}
          </Text>
        )}
      </>
    ),
  },
  { label: 'Version', render: (n) => n.version },
  { label: 'Sync Status', render: (n) => <SyncStatusBadge status={n.sync_status} /> },
  { label: 'Last Ping', render: (n) => ago(n.last_seen) },
  { label: 'Certificate expiry', render: (n) => <CertificateExpiry notAfter={n.cert_not_after} /> },
];

/** The group's runtime instances, refreshed every 3 s so sync status is live. */
export function InstancesTab({ groupId }: { groupId: string }) {
  const nodes = useResource(`/runtime-groups/${groupId}/nodes`, nodeList, POLL_MS);
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        Data planes connected to this group. Refreshed every 3 seconds.
      </Text>
      <ResourceTable
        list={nodes}
        label="Runtime instances"
        columns={COLUMNS}
        rowKey={(n) => n.id}
        empty="No runtime instances yet. Use Configure Runtime to start one."
        errorTitle="Could not load runtime instances"
        minWidth={640}
      />
    </Stack>
  );
}
