import { useMemo, useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { listPage, upstream, type Upstream } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { useResource } from '../../data/useResource';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { TagList } from '../TagList';
import { TargetsSection } from './TargetsSection';
import { UpstreamModal } from './UpstreamModal';

/**
 * The group's upstreams (load balancers): create, edit and delete them, and
 * manage the targets of the one selected.
 */
export function UpstreamsTab({ groupId }: { groupId: string }) {
  const base = `/runtime-groups/${groupId}/upstreams`;
  const page = useMemo(() => listPage(upstream), []);
  const upstreams = useResource(`${base}?size=1000`, page);
  const [editing, setEditing] = useState<Upstream | null>(null);
  const [open, setOpen] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = upstreams.data?.data.find((u) => u.id === selectedId) ?? null;

  const openModal = (u: Upstream | null) => {
    setEditing(u);
    setOpen(true);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          A gateway service whose host is an upstream&apos;s name is balanced over the upstream&apos;s targets.
        </Text>
        <Button onClick={() => openModal(null)}>New Upstream</Button>
      </Group>
      <ResourceTable
        list={upstreams}
        label="Upstreams"
        rowKey={(u) => u.id}
        empty="No upstreams in this group yet."
        errorTitle="Could not load upstreams"
        columns={[
          { label: 'Name', render: (u) => u.name },
          { label: 'Algorithm', render: (u) => u.algorithm },
          { label: 'Hash on', render: (u) => (u.hash_on === 'header' ? `header ${u.hash_on_header ?? ''}` : u.hash_on) },
          { label: 'Slots', render: (u) => String(u.slots) },
          { label: 'Tags', render: (u) => <TagList tags={u.tags} /> },
          {
            label: 'Actions',
            render: (u) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant={selectedId === u.id ? 'filled' : 'light'} onClick={() => setSelectedId(u.id)} aria-label={`Targets of ${u.name}`}>
                  Targets
                </Button>
                <Button size="xs" variant="light" onClick={() => openModal(u)} aria-label={`Edit upstream ${u.name}`}>
                  Edit
                </Button>
                <ConfirmButton
                  size="xs"
                  label="Delete"
                  question={`Delete upstream ${u.name} and its targets? Services naming it connect to that host instead.`}
                  onConfirm={async () => {
                    await api(`${base}/${u.id}`, { method: 'DELETE' });
                    if (selectedId === u.id) setSelectedId(null);
                    upstreams.reload();
                  }}
                />
              </Group>
            ),
          },
        ]}
      />
      {selected && <TargetsSection key={selected.id} groupId={groupId} upstream={selected} />}
      {open && (
        <UpstreamModal
          key={editing?.id ?? 'new'}
          groupId={groupId}
          editing={editing}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            upstreams.reload();
          }}
        />
      )}
    </Stack>
  );
}
