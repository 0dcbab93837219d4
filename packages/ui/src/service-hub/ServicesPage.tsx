import { useState } from 'react';
import { Anchor, Button, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import type { HubService, Page } from '../api/types';
import { useResource } from '../data/useResource';
import { shortDate } from '../data/time';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { CreateServiceModal } from './CreateServiceModal';

/** The Service Hub: every service of the organization, searchable by name. */
export function ServicesPage() {
  const services = useResource<Page<HubService>>('/service-hub/services?size=1000');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const needle = search.trim().toLowerCase();
  const shown = (services.data?.data ?? []).filter(
    (s) => needle === '' || s.name.toLowerCase().includes(needle) || (s.display_name ?? '').toLowerCase().includes(needle),
  );

  return (
    <Stack>
      <PageTitle title="Service Hub" actions={<Button onClick={() => setCreating(true)}>New Service</Button>} />
      <TextInput label="Search services" placeholder="Filter by name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={400} />
      <ErrorNotice error={services.error} title="Could not load services" />
      {services.loading && !services.data ? (
        <Loading />
      ) : shown.length === 0 ? (
        <Text c="dimmed">{needle ? 'No service matches this search.' : 'No services yet. Create one to get started.'}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped highlightOnHover aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/service-hub/${s.id}`}>
                      {s.display_name || s.name}
                    </Anchor>
                    {s.display_name && s.display_name !== s.name && (
                      <Text size="xs" c="dimmed">
                        {s.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{s.description ?? ''}</Table.Td>
                  <Table.Td>{shortDate(s.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateServiceModal opened={creating} onClose={() => setCreating(false)} onCreated={(s) => navigate(`/service-hub/${s.id}`)} />
    </Stack>
  );
}
