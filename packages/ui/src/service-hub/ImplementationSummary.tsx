import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Service } from '@gatehouse/protocol';
import { Field } from '../components/Field';
import { upstreamUrl } from '../runtime-manager/upstreamUrl';

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
              {service.tags.length === 0
                ? '—'
                : service.tags.map((t) => (
                    <Badge key={t} variant="outline" tt="none">
                      {t}
                    </Badge>
                  ))}
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
