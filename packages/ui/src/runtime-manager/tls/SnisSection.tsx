import { useEffect, useMemo, useState } from 'react';
import { Button, Group, Stack, Title } from '@mantine/core';
import { listPage, sni, type Certificate } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { useResource } from '../../data/useResource';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { TagList } from '../TagList';
import { certificateName } from './certificateName';
import { SniModal } from './SniModal';

/**
 * The group's SNIs (Kong's SNIs): each server name and the certificate served
 * for it; add one (the certificate chosen from a select) or delete one.
 * `version` changes when a certificate's write may have changed them.
 */
export function SnisSection({
  groupId,
  certificates,
  version,
  onChanged,
}: {
  groupId: string;
  certificates: readonly Certificate[];
  version: number;
  /** After an SNI is added or deleted: the certificates' `snis` changed too. */
  onChanged: () => void;
}) {
  const base = `/runtime-groups/${groupId}/snis`;
  const page = useMemo(() => listPage(sni), []);
  const snis = useResource(`${base}?size=1000`, page);
  const [open, setOpen] = useState(false);
  const { reload } = snis;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const byId = new Map(certificates.map((c) => [c.id, c]));

  const changed = () => {
    snis.reload();
    onChanged();
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          SNIs
        </Title>
        <Button variant="light" onClick={() => setOpen(true)} disabled={certificates.length === 0}>
          Add SNI
        </Button>
      </Group>
      <ResourceTable
        list={snis}
        label="SNIs"
        rowKey={(s) => s.id}
        empty="No SNIs yet: a certificate is served only for the names of its SNIs."
        errorTitle="Could not load SNIs"
        columns={[
          { label: 'Name', render: (s) => s.name },
          {
            label: 'Certificate',
            render: (s) => {
              const c = byId.get(s.certificate.id);
              return c ? certificateName(c) : s.certificate.id;
            },
          },
          { label: 'Tags', render: (s) => <TagList tags={s.tags} /> },
          {
            label: 'Actions',
            render: (s) => (
              <ConfirmButton
                size="xs"
                label="Delete"
                question={`Delete the SNI ${s.name}? Clients asking for it get another matching certificate, or the default one.`}
                onConfirm={async () => {
                  await api(`${base}/${s.id}`, { method: 'DELETE' });
                  changed();
                }}
              />
            ),
          },
        ]}
      />
      {open && (
        <SniModal
          groupId={groupId}
          certificates={certificates}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            changed();
          }}
        />
      )}
    </Stack>
  );
}
