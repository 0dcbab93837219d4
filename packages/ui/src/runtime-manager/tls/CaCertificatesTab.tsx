import { useMemo, useState } from 'react';
import { Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { caCertificate, listPage } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { useResource } from '../../data/useResource';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { TagList } from '../TagList';
import { CaCertificateModal } from './CaCertificateModal';
import { ExpiryBadge } from './ExpiryBadge';
import { summarizeCertificate } from './x509';

/**
 * The group's CA certificates (Kong's CA Certificates): the roots gateway
 * services trust to verify their upstreams (`tls_verify`), with subject,
 * SHA-256 digest and expiry; create by PEM, delete.
 */
export function CaCertificatesTab({ groupId }: { groupId: string }) {
  const base = `/runtime-groups/${groupId}/ca_certificates`;
  const page = useMemo(() => listPage(caCertificate), []);
  const cas = useResource(`${base}?size=1000`, page);
  const [open, setOpen] = useState(false);

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          Gateway services verifying their upstream&apos;s certificate trust the CA certificates they name.
        </Text>
        <Button onClick={() => setOpen(true)}>New CA Certificate</Button>
      </Group>
      <ResourceTable
        list={cas}
        label="CA certificates"
        rowKey={(c) => c.id}
        empty="No CA certificates in this group yet."
        errorTitle="Could not load CA certificates"
        columns={[
          { label: 'Subject', render: (c) => summarizeCertificate(c.cert)?.subject ?? 'unreadable PEM' },
          {
            label: 'Digest (SHA-256)',
            render: (c) => (
              <Tooltip label={c.cert_digest}>
                <Text size="sm" ff="monospace" aria-label={`SHA-256 ${c.cert_digest}`}>
                  {`${c.cert_digest.slice(0, 16)}…`}
                </Text>
              </Tooltip>
            ),
          },
          { label: 'Expires', render: (c) => <ExpiryBadge state={c.expiry_state} expiresAt={c.expires_at} /> },
          { label: 'Tags', render: (c) => <TagList tags={c.tags} /> },
          {
            label: 'Actions',
            render: (c) => (
              <ConfirmButton
                size="xs"
                label="Delete"
                question={`Delete the CA certificate ${summarizeCertificate(c.cert)?.commonName ?? c.cert_digest.slice(0, 16)}? Gateway services naming it must drop it first.`}
                onConfirm={async () => {
                  await api(`${base}/${c.id}`, { method: 'DELETE' });
                  cas.reload();
                }}
              />
            ),
          },
        ]}
      />
      {open && (
        <CaCertificateModal
          groupId={groupId}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            cas.reload();
          }}
        />
      )}
    </Stack>
  );
}
