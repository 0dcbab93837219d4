import type { ReactNode } from 'react';
import { Button, Stack, Tabs } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { seg } from '../api/client';
import { runtimeGroup } from '@gatehouse/protocol';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { TrafficPanel } from '../analytics/TrafficPanel';
import { InstancesTab } from './InstancesTab';
import { ConsumersTab, GatewayServicesTab, PluginsTab, RoutesTab } from './GroupEntityTabs';
import { CertificatesTab } from './CertificatesTab';
import { UpstreamsTab } from './upstreams/UpstreamsTab';
import { TlsCertificatesTab } from './tls/TlsCertificatesTab';
import { CaCertificatesTab } from './tls/CaCertificatesTab';

/** The group's tabs: the URL segment, the tab's name, and what it shows for the group `id`. */
const TABS: readonly { value: string; label: string; panel: (id: string) => ReactNode }[] = [
  { value: 'instances', label: 'Runtime Instances', panel: (id) => <InstancesTab groupId={id} /> },
  { value: 'gateway-services', label: 'Gateway Services', panel: (id) => <GatewayServicesTab groupId={id} /> },
  { value: 'routes', label: 'Routes', panel: (id) => <RoutesTab groupId={id} /> },
  { value: 'plugins', label: 'Plugins', panel: (id) => <PluginsTab groupId={id} /> },
  { value: 'consumers', label: 'Consumers', panel: (id) => <ConsumersTab groupId={id} /> },
  { value: 'upstreams', label: 'Upstreams', panel: (id) => <UpstreamsTab groupId={id} /> },
  { value: 'certificates', label: 'Certificates', panel: (id) => <TlsCertificatesTab groupId={id} /> },
  { value: 'ca-certificates', label: 'CA Certificates', panel: (id) => <CaCertificatesTab groupId={id} /> },
  { value: 'dp-certificates', label: 'Data Plane Certificates', panel: (id) => <CertificatesTab groupId={id} /> },
  { value: 'traffic', label: 'Traffic', panel: (id) => <TrafficPanel path={`/runtime-groups/${id}/analytics`} title="Traffic" /> },
];

/**
 * One runtime group: its instances, its gateway entities (TLS certificates and
 * CA certificates among them) and its data-plane certificates, one tab each
 * (the tab is in the URL).
 */
export function RuntimeGroupPage() {
  const { rg = '', tab = 'instances' } = useParams();
  const navigate = useNavigate();
  const group = useResource(`/runtime-groups/${seg(rg)}`, runtimeGroup);

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
      <Tabs value={active} onChange={(v) => void navigate(`/runtime-manager/${g.id}/${v ?? 'instances'}`)} keepMounted={false}>
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            {t.panel(g.id)}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
