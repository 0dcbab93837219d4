import { Badge, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { Page, DataPlaneNode } from '../api/types';
import { useResource } from '../data/useResource';
import { ago, daysUntil, shortDate } from '../data/time';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { SyncStatusBadge } from './SyncStatusBadge';

const POLL_MS = 3000;
const EXPIRY_WARNING_DAYS = 30;

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

/** The group's runtime instances, refreshed every 3 s so sync status is live. */
export function InstancesTab({ groupId }: { groupId: string }) {
  const nodes = useResource<Page<DataPlaneNode>>(`/runtime-groups/${groupId}/nodes`, POLL_MS);
  const list = nodes.data?.data ?? [];
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        Data planes connected to this group. Refreshed every 3 seconds.
      </Text>
      {nodes.error && <ErrorNotice error={nodes.error} title="Could not load runtime instances" />}
      {!nodes.data ? (
        !nodes.error && <Loading />
      ) : list.length === 0 ? (
        <Text c="dimmed">No runtime instances yet. Use Configure Runtime to start one.</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Runtime instances">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Host</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Sync Status</Table.Th>
                <Table.Th>Last Ping</Table.Th>
                <Table.Th>Certificate expiry</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>
                    {n.hostname}
                    {n.ip && (
                      <Text size="xs" c="dimmed">
                        {n.ip}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{n.version}</Table.Td>
                  <Table.Td>
                    <SyncStatusBadge status={n.sync_status} />
                  </Table.Td>
                  <Table.Td>{ago(n.last_seen)}</Table.Td>
                  <Table.Td>
                    <CertificateExpiry notAfter={n.cert_not_after} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
