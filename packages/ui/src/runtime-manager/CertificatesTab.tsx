import { useState } from 'react';
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import {
  dpCertificate,
  issuedDpCertificate,
  listPage,
  renewedDpCertificate,
  type DpCertificate,
  type IssuedDpCertificate,
  type RenewedDpCertificate,
} from '@gatehouse/protocol';
import { api } from '../api/client';
import { useResource } from '../data/useResource';
import { daysUntil, shortDate } from '../data/time';
import type { Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { ConfirmButton } from '../components/ConfirmButton';
import { ResourceTable } from '../components/ResourceTable';
import { CertificateModal } from './CertificateModal';

const certificateList = listPage(dpCertificate);

function Status({ cert }: { cert: DpCertificate }) {
  if (cert.revoked) return <Badge color="red">Revoked</Badge>;
  const days = daysUntil(cert.not_after);
  if (days !== null && days < 0) return <Badge color="red">Expired</Badge>;
  if (days !== null && days < 30) return <Badge color="yellow">Expires in {days} days</Badge>;
  return <Badge color="green">Valid</Badge>;
}

/**
 * The group's data-plane certificates: issue, renew, revoke. A new key is
 * shown once, right after it is made; the CP does not keep it.
 */
export function CertificatesTab({ groupId }: { groupId: string }) {
  const base = `/runtime-groups/${groupId}/dp-certificates`;
  const certs = useResource(base, certificateList);
  const [issued, setIssued] = useState<IssuedDpCertificate | RenewedDpCertificate | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | null>(null);

  /** Issues (`id` 'new') or renews a certificate, then shows it. */
  const run = async (id: string) => {
    setBusy(id);
    setError(undefined);
    try {
      setIssued(
        id === 'new'
          ? await api(base, { method: 'POST', body: {}, schema: issuedDpCertificate })
          : await api(`${base}/${id}/renew`, { method: 'POST', body: {}, schema: renewedDpCertificate }),
      );
      certs.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns: Column<DpCertificate>[] = [
    {
      label: 'Certificate',
      render: (c) => (
        <Text size="sm" ff="monospace">
          {`${c.fingerprint.slice(0, 16)}…`}
        </Text>
      ),
    },
    { label: 'Expires', render: (c) => shortDate(c.not_after) },
    { label: 'Status', render: (c) => <Status cert={c} /> },
    {
      label: 'Actions',
      render: (c) => (
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="light" disabled={c.revoked} loading={busy === c.id} onClick={() => void run(c.id)}>
            Renew
          </Button>
          <ConfirmButton
            size="xs"
            label="Revoke"
            question="Revoke this certificate? Data planes using it are cut off at once and keep serving their last configuration."
            onConfirm={async () => {
              await api(`${base}/${c.id}`, { method: 'DELETE' });
              certs.reload();
            }}
          />
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          Data planes prove which group they belong to with these certificates.
        </Text>
        <Button loading={busy === 'new'} onClick={() => void run('new')}>
          Generate certificate
        </Button>
      </Group>
      <ErrorNotice error={error} title="Certificate action failed" />
      <ResourceTable
        list={certs}
        label="Data plane certificates"
        columns={columns}
        rowKey={(c) => c.id}
        empty="No certificates yet."
        errorTitle="Could not load data plane certificates"
      />
      <CertificateModal certificate={issued} onClose={() => setIssued(null)} />
    </Stack>
  );
}
