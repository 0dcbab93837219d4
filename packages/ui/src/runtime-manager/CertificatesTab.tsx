import { useState } from 'react';
import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { api } from '../api/client';
import type { DpCertificate, IssuedDpCertificate, Page, RenewedDpCertificate } from '../api/types';
import { useResource } from '../data/useResource';
import { daysUntil, shortDate } from '../data/time';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { ConfirmButton } from '../components/ConfirmButton';
import { CertificateModal } from './CertificateModal';

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
  const certs = useResource<Page<DpCertificate>>(base);
  const [issued, setIssued] = useState<IssuedDpCertificate | RenewedDpCertificate | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (id: string, path: string) => {
    setBusy(id);
    setError(undefined);
    try {
      setIssued(await api<IssuedDpCertificate | RenewedDpCertificate>(path, { method: 'POST', body: {} }));
      certs.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          Data planes prove which group they belong to with these certificates.
        </Text>
        <Button loading={busy === 'new'} onClick={() => void run('new', base)}>
          Generate certificate
        </Button>
      </Group>
      <ErrorNotice error={error ?? certs.error} title="Certificate action failed" />
      {!certs.data ? (
        !certs.error && <Loading />
      ) : certs.data.data.length === 0 ? (
        <Text c="dimmed">No certificates yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Certificates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Certificate</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {certs.data.data.map((c) => {
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {`${c.fingerprint.slice(0, 16)}…`}
                      </Text>
                    </Table.Td>
                    <Table.Td>{shortDate(c.not_after)}</Table.Td>
                    <Table.Td>
                      <Status cert={c} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="light" disabled={c.revoked} loading={busy === c.id} onClick={() => void run(c.id, `${base}/${c.id}/renew`)}>
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
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CertificateModal certificate={issued} onClose={() => setIssued(null)} />
    </Stack>
  );
}
