import { useState } from 'react';
import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from 'react-router-dom';
import { hubImplementation, hubService, hubVersion, listPage, route } from '@gatehouse/protocol';
import { seg } from '../api/client';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';
import { TrafficPanel } from '../analytics/TrafficPanel';
import { ImplementationWizard } from './implementation/ImplementationWizard';
import { ImplementationSummary } from './ImplementationSummary';
import { RoutesSection } from './RoutesSection';
import { VersionActions } from './VersionActions';

const routeList = listPage(route);

/**
 * A service version's overview: its implementation (or **New
 * Implementation**), its **Routes**, the **Version actions** menu, and the
 * traffic its routes carry, refreshed every few seconds.
 */
export function VersionPage() {
  const { serviceId = '', versionId = '' } = useParams();
  const navigate = useNavigate();
  const service = useResource(`/service-hub/services/${seg(serviceId)}`, hubService);
  const versionPath = `/service-hub/services/${seg(serviceId)}/versions/${seg(versionId)}`;
  const version = useResource(versionPath, hubVersion);
  const implemented = Boolean(version.data?.gateway_service);
  const implementation = useResource(implemented ? `${versionPath}/implementation` : null, hubImplementation);
  const routes = useResource(implemented ? `${versionPath}/routes?size=1000` : null, routeList);
  const [wizard, setWizard] = useState(false);

  const refresh = () => {
    version.reload();
    implementation.reload();
    routes.reload();
  };

  const failed = service.error ?? version.error;
  if (failed) return <ErrorNotice error={failed} title="Could not load this version" />;
  if (!service.data || !version.data) return <Loading />;
  const s = service.data;
  const v = version.data;
  const gatewayService = implemented ? implementation.data?.service : undefined;

  return (
    <Stack>
      <PageTitle
        crumbs={[
          { label: 'Service Hub', to: '/service-hub' },
          { label: s.display_name || s.name, to: `/service-hub/${s.id}` },
        ]}
        title={v.name}
        actions={
          <VersionActions
            versionPath={versionPath}
            gatewayService={gatewayService}
            onChanged={refresh}
            onVersionDeleted={() => void navigate(`/service-hub/${s.id}`)}
          />
        }
      />
      {!implemented ? (
        <Card withBorder>
          <Stack align="flex-start">
            <Title order={2} size="h3">
              Implementation
            </Title>
            <Text c="dimmed">This version has no implementation yet: point it at an upstream service and give it a route.</Text>
            <Button onClick={() => setWizard(true)}>New Implementation</Button>
          </Stack>
        </Card>
      ) : (
        <>
          <ErrorNotice error={implementation.error} title="Could not load the implementation" />
          {gatewayService ? <ImplementationSummary service={gatewayService} runtimeGroupId={v.runtime_group_id} /> : !implementation.error && <Loading />}
          <RoutesSection versionPath={versionPath} runtimeGroupId={v.runtime_group_id} routes={routes} />
        </>
      )}
      <TrafficPanel path={`${versionPath}/analytics`} title="Traffic" />
      <ImplementationWizard opened={wizard} versionPath={versionPath} onClose={() => setWizard(false)} onCreated={refresh} />
    </Stack>
  );
}
