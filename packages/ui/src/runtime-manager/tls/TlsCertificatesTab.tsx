import { useMemo, useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { certificate, listPage, looksLikeReference, type Certificate } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { useResource } from '../../data/useResource';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { TagList } from '../TagList';
import { certificateName, keyTypes } from './certificateName';
import { ExpiryBadge } from './ExpiryBadge';
import { SnisSection } from './SnisSection';
import { TlsCertificateModal } from './TlsCertificateModal';
import { summarizeCertificate } from './x509';

/** A certificate's name (its CN), key types and SAN DNS names, read from its PEM. */
function Subject({ certificate: c }: { certificate: Certificate }) {
  if (looksLikeReference(c.cert))
    return (
      <Stack gap={0}>
        <Text size="sm" ff="monospace">
          {c.cert}
        </Text>
        <Text size="xs" c="dimmed">
          a reference, resolved on the data plane
        </Text>
      </Stack>
    );
  const san = summarizeCertificate(c.cert)?.dnsNames ?? [];
  return (
    <Stack gap={0}>
      <Text size="sm">{certificateName(c)}</Text>
      <Text size="xs" c="dimmed">
        {keyTypes(c) ?? 'unreadable PEM'}
        {san.length > 0 ? ` · SAN ${san.join(', ')}` : ''}
      </Text>
    </Stack>
  );
}

/**
 * The group's TLS certificates (Kong's Certificates), which the data planes
 * serve to clients by SNI: create, edit and delete them, each with its
 * subject, SNIs and expiry; the group's SNIs below.
 */
export function TlsCertificatesTab({ groupId }: { groupId: string }) {
  const base = `/runtime-groups/${groupId}/certificates`;
  const page = useMemo(() => listPage(certificate), []);
  const certs = useResource(`${base}?size=1000`, page);
  const [editing, setEditing] = useState<Certificate | null>(null);
  const [open, setOpen] = useState(false);
  // The SNIs list reads again after a certificate changes (its `snis` shortcut writes SNIs).
  const [sniVersion, setSniVersion] = useState(0);

  const openModal = (c: Certificate | null) => {
    setEditing(c);
    setOpen(true);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          Served by the data planes&apos; TLS listener to clients asking for one of their SNIs.
        </Text>
        <Button onClick={() => openModal(null)}>New Certificate</Button>
      </Group>
      <ResourceTable
        list={certs}
        label="TLS certificates"
        rowKey={(c) => c.id}
        empty="No certificates in this group yet."
        errorTitle="Could not load certificates"
        columns={[
          { label: 'Subject', render: (c) => <Subject certificate={c} /> },
          { label: 'SNIs', render: (c) => (c.snis.length > 0 ? c.snis.join(', ') : '—') },
          { label: 'Expires', render: (c) => <ExpiryBadge state={c.expiry_state} expiresAt={c.expires_at} /> },
          { label: 'Tags', render: (c) => <TagList tags={c.tags} /> },
          {
            label: 'Actions',
            render: (c) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" onClick={() => openModal(c)} aria-label={`Edit certificate ${certificateName(c)}`}>
                  Edit
                </Button>
                <ConfirmButton
                  size="xs"
                  label="Delete"
                  question={`Delete the certificate ${certificateName(c)} and its SNIs? Clients asking for those names get the default certificate.`}
                  onConfirm={async () => {
                    await api(`${base}/${c.id}`, { method: 'DELETE' });
                    certs.reload();
                    setSniVersion((v) => v + 1);
                  }}
                />
              </Group>
            ),
          },
        ]}
      />
      <SnisSection groupId={groupId} certificates={certs.data?.data ?? []} version={sniVersion} onChanged={certs.reload} />
      {open && (
        <TlsCertificateModal
          key={editing?.id ?? 'new'}
          groupId={groupId}
          editing={editing}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            certs.reload();
            setSniVersion((v) => v + 1);
          }}
        />
      )}
    </Stack>
  );
}
