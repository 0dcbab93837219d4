import { useState } from 'react';
import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { secretList } from '@gatehouse/protocol';
import { api, seg } from '../api/client';
import { useResource } from '../data/useResource';
import { ago } from '../data/time';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageTitle } from '../components/PageTitle';
import { ResourceTable } from '../components/ResourceTable';
import { SecretModal } from './SecretModal';

/**
 * The organization's secret store: what `{vault://gatehouse/NAME}` references
 * in any group's configuration resolve to. Names, the groups that use each,
 * and when it was last set; values go in through **Set value** and never
 * come back. Deleting a secret a group still references is refused (409).
 */
export function SecretsPage() {
  const secrets = useResource('/secrets?size=1000', secretList);
  // null: closed; '': a new secret; a name: setting that one's value.
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <Stack>
      <PageTitle title="Secrets" actions={<Button onClick={() => setEditing('')}>New Secret</Button>} />
      <Text c="dimmed">
        Any field that takes a reference (a certificate&apos;s key, a plugin&apos;s password) can name a secret as{' '}
        <Text span ff="monospace" size="sm">
          {'{vault://gatehouse/NAME}'}
        </Text>
        ; data planes of the groups using it receive its value.
      </Text>
      <ResourceTable
        list={secrets}
        label="Secrets"
        rowKey={(s) => s.name}
        empty="No secrets yet."
        errorTitle="Could not load secrets"
        columns={[
          { label: 'Name', render: (s) => s.name },
          {
            label: 'Reference',
            render: (s) => (
              <Text size="sm" ff="monospace">
                {`{vault://gatehouse/${s.name}}`}
              </Text>
            ),
          },
          {
            label: 'Used by',
            render: (s) =>
              s.runtime_groups.length === 0 ? (
                <Text size="sm" c="dimmed">
                  not referenced
                </Text>
              ) : (
                <Group gap="xs">
                  {s.runtime_groups.map((g) => (
                    <Anchor key={g.id} component={Link} to={`/runtime-manager/${g.id}`} size="sm">
                      {g.name}
                    </Anchor>
                  ))}
                </Group>
              ),
          },
          { label: 'Updated', render: (s) => ago(s.updated_at) },
          {
            label: 'Actions',
            render: (s) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" onClick={() => setEditing(s.name)} aria-label={`Set value of ${s.name}`}>
                  Set value
                </Button>
                <ConfirmButton
                  size="xs"
                  label="Delete"
                  question={`Delete the secret ${s.name}? Its value is gone for good.`}
                  onConfirm={async () => {
                    await api(`/secrets/${seg(s.name)}`, { method: 'DELETE' });
                    secrets.reload();
                  }}
                />
              </Group>
            ),
          },
        ]}
      />
      {editing !== null && (
        <SecretModal
          key={editing}
          name={editing === '' ? null : editing}
          opened
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            secrets.reload();
          }}
        />
      )}
    </Stack>
  );
}
