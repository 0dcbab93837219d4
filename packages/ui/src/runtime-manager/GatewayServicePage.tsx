import { Card, SimpleGrid, Stack, Title } from '@mantine/core';
import { useParams } from 'react-router-dom';
import { runtimeGroup, service as serviceSchema } from '@gatehouse/protocol';
import { seg } from '../api/client';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { TagList } from './TagList';
import { upstreamUrl } from './upstreamUrl';
import { ServiceTlsCard } from './tls/ServiceTlsCard';

/**
 * A gateway service in the Runtime Manager; its `_KonnectService` tag leads
 * back to the Service Hub. Its upstream TLS settings can be edited here.
 */
export function GatewayServicePage() {
  const { rg = '', serviceId = '' } = useParams();
  const group = useResource(`/runtime-groups/${seg(rg)}`, runtimeGroup);
  const service = useResource(`/runtime-groups/${seg(rg)}/services/${seg(serviceId)}`, serviceSchema);
  const failed = group.error ?? service.error;
  if (failed) return <ErrorNotice error={failed} title="Could not load this gateway service" />;
  if (!group.data || !service.data) return <Loading />;
  const g = group.data;
  const s = service.data;
  return (
    <Stack>
      <PageTitle
        crumbs={[
          { label: 'Runtime Manager', to: '/runtime-manager' },
          { label: g.name, to: `/runtime-manager/${g.id}` },
          { label: 'Gateway Services', to: `/runtime-manager/${g.id}/gateway-services` },
        ]}
        title={s.name ?? s.id}
      />
      <Card withBorder>
        <Stack>
          <Title order={2} size="h3">
            Configuration
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <Field label="Upstream URL">{upstreamUrl(s)}</Field>
            <Field label="Protocol">{s.protocol}</Field>
            <Field label="Host">{s.host}</Field>
            <Field label="Port">{s.port}</Field>
            <Field label="Path">{s.path ?? '—'}</Field>
            <Field label="Enabled">{s.enabled ? 'Yes' : 'No'}</Field>
            <Field label="Retries">{s.retries}</Field>
            <Field label="Connect timeout">{s.connect_timeout} ms</Field>
            <Field label="Write timeout">{s.write_timeout} ms</Field>
            <Field label="Read timeout">{s.read_timeout} ms</Field>
            <Field label="ID">{s.id}</Field>
          </SimpleGrid>
          <Field label="Tags">
            <TagList tags={s.tags} />
          </Field>
        </Stack>
      </Card>
      <ServiceTlsCard groupId={g.id} service={s} onSaved={service.reload} />
    </Stack>
  );
}
