import { useState } from 'react';
import { Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import type { Page, RuntimeGroup } from '../api/types';
import { useResource } from '../data/useResource';
import { shortDate } from '../data/time';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { CreateRuntimeGroupModal } from './CreateRuntimeGroupModal';

/** The Runtime Manager: the organization's runtime groups. */
export function RuntimeGroupsPage() {
  const groups = useResource<Page<RuntimeGroup>>('/runtime-groups?size=1000');
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();

  return (
    <Stack>
      <PageTitle title="Runtime Manager" actions={<Button onClick={() => setCreating(true)}>New Runtime Group</Button>} />
      <Text c="dimmed">A runtime group is a set of data planes that share one configuration.</Text>
      <ErrorNotice error={groups.error} title="Could not load runtime groups" />
      {!groups.data ? (
        !groups.error && <Loading />
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table striped highlightOnHover aria-label="Runtime groups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.data.data.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/runtime-manager/${g.id}`}>
                      {g.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{g.description ?? ''}</Table.Td>
                  <Table.Td>{shortDate(g.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateRuntimeGroupModal opened={creating} onClose={() => setCreating(false)} onCreated={(g) => navigate(`/runtime-manager/${g.id}`)} />
    </Stack>
  );
}
