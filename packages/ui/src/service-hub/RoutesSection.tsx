import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { api } from '../api/client';
import type { Page, Route } from '../api/types';
import type { Resource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { ConfirmButton } from '../components/ConfirmButton';
import { AddRouteModal } from './AddRouteModal';

interface Props {
  versionPath: string;
  runtimeGroupId: string;
  routes: Resource<Page<Route>>;
}

/** The version's **Routes**, with **+ Add route** for more on its gateway service. */
export function RoutesSection({ versionPath, runtimeGroupId, routes }: Props) {
  const [adding, setAdding] = useState(false);
  const list = routes.data?.data ?? [];
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
        <ErrorNotice error={routes.error} title="Could not load routes" />
        {list.length === 0 ? (
          <Text c="dimmed">{routes.loading ? 'Loading routes…' : 'No routes yet.'}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Routes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Methods</Table.Th>
                  <Table.Th>Paths</Table.Th>
                  <Table.Th>Hosts</Table.Th>
                  <Table.Th>Protocols</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{r.name ?? r.id}</Table.Td>
                    <Table.Td>{r.methods.length ? r.methods.map((m) => <Badge key={m} mr={4} variant="light">{m}</Badge>) : 'any'}</Table.Td>
                    <Table.Td>{r.paths.join(', ') || '—'}</Table.Td>
                    <Table.Td>{r.hosts.join(', ') || '—'}</Table.Td>
                    <Table.Td>{r.protocols.join(', ')}</Table.Td>
                    <Table.Td>
                      <ConfirmButton
                        size="xs"
                        label="Delete route"
                        question={`Delete the route ${r.name ?? r.id}?`}
                        onConfirm={async () => {
                          await api(`/runtime-groups/${runtimeGroupId}/routes/${r.id}`, { method: 'DELETE' });
                          routes.reload();
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <AddRouteModal opened={adding} versionPath={versionPath} onClose={() => setAdding(false)} onCreated={routes.reload} />
    </Card>
  );
}
