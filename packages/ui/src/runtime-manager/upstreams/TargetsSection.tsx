import { useMemo, useState } from 'react';
import { Button, Group, Stack, Title } from '@mantine/core';
import { listPage, target, upstreamHealthAnswer, type Target, type Upstream } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { useResource } from '../../data/useResource';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { TagList } from '../TagList';
import { TargetModal } from './TargetModal';
import { HEALTH_POLL_MS, TargetHealth } from './TargetHealth';

/** One upstream's targets: add, change the weight of, or remove each; each target's health, live. */
export function TargetsSection({ groupId, upstream }: { groupId: string; upstream: Upstream }) {
  const base = `/runtime-groups/${groupId}/upstreams/${upstream.id}/targets`;
  const page = useMemo(() => listPage(target), []);
  const targets = useResource(`${base}?size=1000`, page);
  const health = useResource(`/runtime-groups/${groupId}/upstreams/${upstream.id}/health`, upstreamHealthAnswer, HEALTH_POLL_MS);
  const [editing, setEditing] = useState<Target | null>(null);
  const [open, setOpen] = useState(false);

  const openModal = (t: Target | null) => {
    setEditing(t);
    setOpen(true);
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>Targets of {upstream.name}</Title>
        <Button onClick={() => openModal(null)}>Add Target</Button>
      </Group>
      <ResourceTable
        list={targets}
        label={`Targets of ${upstream.name}`}
        rowKey={(t) => t.id}
        empty="No targets yet: requests to this upstream are answered 503."
        errorTitle="Could not load the targets"
        columns={[
          { label: 'Target', render: (t) => t.target },
          { label: 'Weight', render: (t) => String(t.weight) },
          { label: 'Health', render: (t) => <TargetHealth entry={health.data?.data.find((h) => h.id === t.id)} /> },
          { label: 'Tags', render: (t) => <TagList tags={t.tags} /> },
          {
            label: 'Actions',
            render: (t) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" onClick={() => openModal(t)} aria-label={`Edit target ${t.target}`}>
                  Edit
                </Button>
                <ConfirmButton
                  size="xs"
                  label="Delete"
                  question={`Delete target ${t.target}? Requests stop going to it at once.`}
                  onConfirm={async () => {
                    await api(`${base}/${t.id}`, { method: 'DELETE' });
                    targets.reload();
                    health.reload();
                  }}
                />
              </Group>
            ),
          },
        ]}
      />
      {open && (
        <TargetModal
          key={editing?.id ?? 'new'}
          base={base}
          editing={editing}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            targets.reload();
            health.reload();
          }}
        />
      )}
    </Stack>
  );
}
