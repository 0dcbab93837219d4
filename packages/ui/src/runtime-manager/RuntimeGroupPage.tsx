import { Button, Stack, Tabs } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { seg } from '../api/client';
import type { RuntimeGroup } from '../api/types';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { TrafficPanel } from '../analytics/TrafficPanel';
import { InstancesTab } from './InstancesTab';
import { ConsumersTab, GatewayServicesTab, PluginsTab, RoutesTab } from './GroupEntityTabs';
import { CertificatesTab } from './CertificatesTab';

const TABS = [
  { value: 'instances', label: 'Runtime Instances' },
  { value: 'gateway-services', label: 'Gateway Services' },
  { value: 'routes', label: 'Routes' },
  { value: 'plugins', label: 'Plugins' },
  { value: 'consumers', label: 'Consumers' },
  { value: 'certificates', label: 'Certificates' },
  { value: 'traffic', label: 'Traffic' },
] as const;

/** One runtime group: its instances, its gateway entities and certificates, one tab each (the tab is in the URL). */
export function RuntimeGroupPage() {
  const { rg = '', tab = 'instances' } = useParams();
  const navigate = useNavigate();
  const group = useResource<RuntimeGroup>(`/runtime-groups/${seg(rg)}`);

  if (group.error) return <ErrorNotice error={group.error} title="Could not load this runtime group" />;
  if (!group.data) return <Loading />;
  const g = group.data;
  const active = TABS.some((t) => t.value === tab) ? tab : 'instances';

  return (
    <Stack>
      <PageTitle
        crumbs={[{ label: 'Runtime Manager', to: '/runtime-manager' }]}
        title={g.name}
        actions={
          <Button component={Link} to={`/runtime-manager/${g.id}/configure`}>
            Configure Runtime
          </Button>
        }
      />
      <Tabs value={active} onChange={(v) => navigate(`/runtime-manager/${g.id}/${v ?? 'instances'}`)} keepMounted={false}>
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="instances" pt="md">
          <InstancesTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="gateway-services" pt="md">
          <GatewayServicesTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="routes" pt="md">
          <RoutesTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="plugins" pt="md">
          <PluginsTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="consumers" pt="md">
          <ConsumersTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="certificates" pt="md">
          <CertificatesTab groupId={g.id} />
        </Tabs.Panel>
        <Tabs.Panel value="traffic" pt="md">
          <TrafficPanel path={`/runtime-groups/${g.id}/analytics`} title="Traffic" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
