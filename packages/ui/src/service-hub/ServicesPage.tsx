import { useState } from 'react';
import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { hubService, listPage, type HubService } from '@gatehouse/protocol';
import { useResource } from '../data/useResource';
import { shortDate } from '../data/time';
import type { Column } from '../components/DataTable';
import { PageTitle } from '../components/PageTitle';
import { ResourceTable } from '../components/ResourceTable';
import { CreateServiceModal } from './CreateServiceModal';

const serviceList = listPage(hubService);

const COLUMNS: Column<HubService>[] = [
  {
    label: 'Name',
    render: (s) => (
      <>
        <Anchor component={Link} to={`/service-hub/${s.id}`}>
          {s.display_name || s.name}
        </Anchor>
        {s.display_name && s.display_name !== s.name && (
          <Text size="xs" c="dimmed">
            {s.name}
          </Text>
        )}
      </>
    ),
  },
  { label: 'Description', render: (s) => s.description ?? '' },
  { label: 'Created', render: (s) => shortDate(s.created_at) },
];

/** The Service Hub: every service of the organization, searchable by name. */
export function ServicesPage() {
  const services = useResource('/service-hub/services?size=1000', serviceList);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const needle = search.trim().toLowerCase();
  const matches = (s: HubService) => s.name.toLowerCase().includes(needle) || (s.display_name ?? '').toLowerCase().includes(needle);

  return (
    <Stack>
      <PageTitle title="Service Hub" actions={<Button onClick={() => setCreating(true)}>New Service</Button>} />
      <TextInput label="Search services" placeholder="Filter by name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={400} />
      <ResourceTable
        list={services}
        filter={needle === '' ? undefined : matches}
        label="Services"
        columns={COLUMNS}
        rowKey={(s) => s.id}
        empty={needle ? 'No service matches this search.' : 'No services yet. Create one to get started.'}
        errorTitle="Could not load services"
        minWidth={480}
        striped
        highlightOnHover
      />
      <CreateServiceModal opened={creating} onClose={() => setCreating(false)} onCreated={(s) => void navigate(`/service-hub/${s.id}`)} />
    </Stack>
  );
}
