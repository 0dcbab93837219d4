import { useMemo, useState } from 'react';
import { Button, Card, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { caCertificate, certificate, listPage, type Service } from '@gatehouse/protocol';
import { useResource } from '../../data/useResource';
import { Field } from '../../components/Field';
import { certificateName } from './certificateName';
import { ServiceTlsModal } from './ServiceTlsModal';
import { summarizeCertificate } from './x509';

/**
 * A gateway service's TLS to its upstream: whether the upstream's
 * certificate is verified, the depth, the CA certificates trusted and the
 * client certificate presented, named from the group's lists; **Edit TLS**
 * changes them.
 */
export function ServiceTlsCard({ groupId, service, onSaved }: { groupId: string; service: Service; onSaved: () => void }) {
  const certPage = useMemo(() => listPage(certificate), []);
  const caPage = useMemo(() => listPage(caCertificate), []);
  const certs = useResource(`/runtime-groups/${groupId}/certificates?size=1000`, certPage);
  const cas = useResource(`/runtime-groups/${groupId}/ca_certificates?size=1000`, caPage);
  const [open, setOpen] = useState(false);
  const certList = certs.data?.data ?? [];
  const caList = cas.data?.data ?? [];

  const client = service.client_certificate ? certList.find((c) => c.id === service.client_certificate?.id) : undefined;
  const caNames = service.ca_certificates.map((id) => {
    const ca = caList.find((c) => c.id === id);
    return ca ? (summarizeCertificate(ca.cert)?.commonName ?? ca.cert_digest.slice(0, 12)) : id;
  });

  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            Upstream TLS
          </Title>
          <Button variant="light" size="xs" onClick={() => setOpen(true)}>
            Edit TLS
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Field label="Verify certificate">{service.tls_verify === null ? 'Not set (off)' : service.tls_verify ? 'On' : 'Off'}</Field>
          <Field label="Verify depth">{service.tls_verify_depth ?? '—'}</Field>
          <Field label="CA certificates">{caNames.length > 0 ? caNames.join(', ') : '—'}</Field>
          <Field label="Client certificate">{service.client_certificate ? (client ? certificateName(client) : service.client_certificate.id) : '—'}</Field>
        </SimpleGrid>
      </Stack>
      {open && (
        <ServiceTlsModal
          groupId={groupId}
          service={service}
          certificates={certList}
          caCertificates={caList}
          opened={open}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            onSaved();
          }}
        />
      )}
    </Card>
  );
}
