import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Title } from '@mantine/core';
import type { Page, Route } from '@gatehouse/protocol';
import { api } from '../api/client';
import type { Resource } from '../data/useResource';
import type { Column } from '../components/DataTable';
import { ConfirmButton } from '../components/ConfirmButton';
import { ResourceTable } from '../components/ResourceTable';
import { AddRouteModal } from './AddRouteModal';

interface Props {
  versionPath: string;
  runtimeGroupId: string;
  routes: Resource<Page<Route>>;
}

/** The version's **Routes**, with **+ Add route** for more on its gateway service. */
export function RoutesSection({ versionPath, runtimeGroupId, routes }: Props) {
  const [adding, setAdding] = useState(false);
  const columns: Column<Route>[] = [
    { label: 'Name', render: (r) => r.name ?? r.id },
    {
      label: 'Methods',
      render: (r) =>
        r.methods.length
          ? r.methods.map((m) => (
              <Badge key={m} mr={4} variant="light">
                {m}
              </Badge>
            ))
          : 'any',
    },
    { label: 'Paths', render: (r) => r.paths.join(', ') || '—' },
    { label: 'Hosts', render: (r) => r.hosts.join(', ') || '—' },
    { label: 'Protocols', render: (r) => r.protocols.join(', ') },
    {
      label: 'Actions',
      hideLabel: true,
      render: (r) => (
        <ConfirmButton
          size="xs"
          label="Delete route"
          question={`Delete the route ${r.name ?? r.id}?`}
          onConfirm={async () => {
            await api(`/runtime-groups/${runtimeGroupId}/routes/${r.id}`, { method: 'DELETE' });
            routes.reload();
          }}
        />
      ),
    },
  ];

  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            Routes
          </Title>
          <Button variant="light" onClick={() => setAdding(true)}>
            + Add route
          </Button>
        </Group>
        <ResourceTable list={routes} label="Routes" columns={columns} rowKey={(r) => r.id} empty="No routes yet." errorTitle="Could not load routes" />
      </Stack>
      <AddRouteModal opened={adding} versionPath={versionPath} onClose={() => setAdding(false)} onCreated={routes.reload} />
    </Card>
  );
}
