import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Service } from '../api/types';
import { upstreamUrl } from '../runtime-manager/upstreamUrl';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" size="sm" style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </Stack>
  );
}

/** The implementation at a glance: the gateway service and where it points. */
export function ImplementationSummary({ service, runtimeGroupId }: { service: Service; runtimeGroupId: string }) {
  return (
    <Card withBorder component="section" aria-label="Implementation">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            Implementation
          </Title>
          <Badge color={service.enabled ? 'teal' : 'gray'}>{service.enabled ? 'Enabled' : 'Disabled'}</Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          <Field label="Gateway service">
            <Anchor component={Link} to={`/runtime-manager/${runtimeGroupId}/gateway-services/${service.id}`}>
              {service.name ?? service.id}
            </Anchor>
          </Field>
          <Field label="Upstream URL">{upstreamUrl(service)}</Field>
          <Field label="Retries">{service.retries}</Field>
          <Field label="Timeouts (connect / write / read)">
            {service.connect_timeout} / {service.write_timeout} / {service.read_timeout} ms
          </Field>
          <Field label="Tags">
            <Group gap={4}>
              {service.tags.length === 0 ? '—' : service.tags.map((t) => <Badge key={t} variant="outline" tt="none">{t}</Badge>)}
            </Group>
          </Field>
          <Field label="Runtime group">
            <Anchor component={Link} to={`/runtime-manager/${runtimeGroupId}`}>
              Open in Runtime Manager
            </Anchor>
          </Field>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
