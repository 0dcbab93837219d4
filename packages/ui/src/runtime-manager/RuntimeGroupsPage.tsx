import { useState } from 'react';
import { Anchor, Button, Stack, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { listPage, runtimeGroup, type RuntimeGroup } from '@gatehouse/protocol';
import { useResource } from '../data/useResource';
import { shortDate } from '../data/time';
import type { Column } from '../components/DataTable';
import { PageTitle } from '../components/PageTitle';
import { ResourceTable } from '../components/ResourceTable';
import { CreateRuntimeGroupModal } from './CreateRuntimeGroupModal';

const groupList = listPage(runtimeGroup);

const COLUMNS: Column<RuntimeGroup>[] = [
  {
    label: 'Name',
    render: (g) => (
      <Anchor component={Link} to={`/runtime-manager/${g.id}`}>
        {g.name}
      </Anchor>
    ),
  },
  { label: 'Description', render: (g) => g.description ?? '' },
  { label: 'Created', render: (g) => shortDate(g.created_at) },
];

/** The Runtime Manager: the organization's runtime groups. */
export function RuntimeGroupsPage() {
  const groups = useResource('/runtime-groups?size=1000', groupList);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();

  return (
    <Stack>
      <PageTitle title="Runtime Manager" actions={<Button onClick={() => setCreating(true)}>New Runtime Group</Button>} />
      <Text c="dimmed">A runtime group is a set of data planes that share one configuration.</Text>
      <ResourceTable
        list={groups}
        label="Runtime groups"
        columns={COLUMNS}
        rowKey={(g) => g.id}
        empty="No runtime groups yet."
        errorTitle="Could not load runtime groups"
        minWidth={420}
        striped
        highlightOnHover
      />
      <CreateRuntimeGroupModal opened={creating} onClose={() => setCreating(false)} onCreated={(g) => void navigate(`/runtime-manager/${g.id}`)} />
    </Stack>
  );
}
