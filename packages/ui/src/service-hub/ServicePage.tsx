import { useState } from 'react';
import { Anchor, Badge, Button, Card, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { hubService, hubVersion, listPage, runtimeGroup, type HubVersion } from '@gatehouse/protocol';
import { api, seg } from '../api/client';
import { useResource } from '../data/useResource';
import type { Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { ConfirmButton } from '../components/ConfirmButton';
import { ResourceTable } from '../components/ResourceTable';
import { CreateVersionModal } from './CreateVersionModal';

const versionList = listPage(hubVersion);
const groupList = listPage(runtimeGroup);

function versionColumns(serviceId: string, groupName: (id: string) => string): Column<HubVersion>[] {
  return [
    {
      label: 'Version',
      render: (v) => (
        <Anchor component={Link} to={`/service-hub/${serviceId}/versions/${v.id}`}>
          {v.name}
        </Anchor>
      ),
    },
    { label: 'Runtime group', render: (v) => groupName(v.runtime_group_id) },
    { label: 'Implementation', render: (v) => (v.gateway_service ? <Badge color="teal">Implemented</Badge> : <Badge color="gray">Not implemented</Badge>) },
  ];
}

/** A Service Hub service: its description and its **Versions**. */
export function ServicePage() {
  const { serviceId = '' } = useParams();
  const navigate = useNavigate();
  const service = useResource(`/service-hub/services/${seg(serviceId)}`, hubService);
  const id = service.data?.id;
  const versions = useResource(id ? `/service-hub/services/${id}/versions?size=1000` : null, versionList);
  const groups = useResource('/runtime-groups?size=1000', groupList);
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
          <ConfirmButton
            label="Delete service"
            question={`Delete the service ${s.name} and all its versions?`}
            onConfirm={async () => {
              await api(`/service-hub/services/${s.id}`, { method: 'DELETE' });
              void navigate('/service-hub');
            }}
          />
        }
      />
      {s.description && <Text>{s.description}</Text>}
      <Card withBorder>
        <Stack>
          <VersionsHeader onNew={() => setCreating(true)} />
          <ResourceTable
            list={versions}
            label="Versions"
            columns={versionColumns(s.id, groupName)}
            rowKey={(v) => v.id}
            empty="No versions yet."
            errorTitle="Could not load versions"
            minWidth={420}
            highlightOnHover
          />
        </Stack>
      </Card>
      <CreateVersionModal
        opened={creating}
        serviceId={s.id}
        groups={groups.data?.data ?? []}
        onClose={() => setCreating(false)}
        onCreated={(v) => void navigate(`/service-hub/${s.id}/versions/${v.id}`)}
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
