import { useState } from 'react';
import { Anchor, Badge, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, seg } from '../api/client';
import type { HubService, HubVersion, Page, RuntimeGroup } from '../api/types';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { ConfirmButton } from '../components/ConfirmButton';
import { CreateVersionModal } from './CreateVersionModal';

/** A Service Hub service: its description and its **Versions**. */
export function ServicePage() {
  const { serviceId = '' } = useParams();
  const navigate = useNavigate();
  const service = useResource<HubService>(`/service-hub/services/${seg(serviceId)}`);
  const id = service.data?.id;
  const versions = useResource<Page<HubVersion>>(id ? `/service-hub/services/${id}/versions?size=1000` : null);
  const groups = useResource<Page<RuntimeGroup>>('/runtime-groups?size=1000');
  const [creating, setCreating] = useState(false);
  const groupName = (gid: string) => groups.data?.data.find((g) => g.id === gid)?.name ?? gid;

  if (service.error) return <ErrorNotice error={service.error} title="Could not load this service" />;
  if (!service.data) return <Loading />;
  const s = service.data;

  return (
    <Stack>
      <PageTitle
        crumbs={[{ label: 'Service Hub', to: '/service-hub' }]}
        title={s.display_name || s.name}
        actions={
          <ConfirmButton label="Delete service" question={`Delete the service ${s.name} and all its versions?`} onConfirm={async () => {
            await api(`/service-hub/services/${s.id}`, { method: 'DELETE' });
            navigate('/service-hub');
          }} />
        }
      />
      {s.description && <Text>{s.description}</Text>}
      <Card withBorder>
        <Stack>
          <VersionsHeader onNew={() => setCreating(true)} />
          <ErrorNotice error={versions.error} title="Could not load versions" />
          {!versions.data ? (
            <Loading />
          ) : versions.data.data.length === 0 ? (
            <Text c="dimmed">No versions yet.</Text>
          ) : (
            <Table.ScrollContainer minWidth={420}>
              <Table aria-label="Versions" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Runtime group</Table.Th>
                    <Table.Th>Implementation</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {versions.data.data.map((v) => (
                    <Table.Tr key={v.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/service-hub/${s.id}/versions/${v.id}`}>
                          {v.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{groupName(v.runtime_group_id)}</Table.Td>
                      <Table.Td>{v.gateway_service ? <Badge color="teal">Implemented</Badge> : <Badge color="gray">Not implemented</Badge>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Card>
      <CreateVersionModal
        opened={creating}
        serviceId={s.id}
        groups={groups.data?.data ?? []}
        onClose={() => setCreating(false)}
        onCreated={(v) => navigate(`/service-hub/${s.id}/versions/${v.id}`)}
      />
    </Stack>
  );
}

function VersionsHeader({ onNew }: { onNew: () => void }) {
  return (
    <Stack gap={0}>
      <Title order={2} size="h3">
        Versions
      </Title>
      <Button onClick={onNew} mt="xs" w="fit-content">
        New Version
      </Button>
    </Stack>
  );
}
