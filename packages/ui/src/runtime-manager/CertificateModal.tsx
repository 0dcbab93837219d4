import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { IssuedDpCertificate, RenewedDpCertificate } from '@gatehouse/protocol';
import { shortDate } from '../data/time';

function Pem({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text fw={500} size="sm">
          {label}
        </Text>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : `Copy ${label}`}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block aria-label={label} style={{ maxHeight: 160, overflow: 'auto' }}>
        {value}
      </Code>
    </Stack>
  );
}

/** Shows a new certificate (and its key, this one time) for copying onto a data plane host. */
export function CertificateModal({ certificate, onClose }: { certificate: IssuedDpCertificate | RenewedDpCertificate | null; onClose: () => void }) {
  return (
    <Modal opened={certificate !== null} onClose={onClose} title="Data plane certificate" size="lg">
      {certificate && (
        <Stack>
          <Text size="sm">
            Valid until {shortDate(certificate.not_after)}.{'key' in certificate && ' Copy the key now: it is not shown again.'}
          </Text>
          <Pem label="Certificate" value={certificate.cert} />
          {'key' in certificate && <Pem label="Private key" value={certificate.key} />}
          <Pem label="Cluster CA" value={certificate.ca_cert} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
