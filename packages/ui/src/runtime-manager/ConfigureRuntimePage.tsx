import { useState } from 'react';
import { Alert, Button, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { runtimeGroup, type LaunchScriptKind } from '@gatehouse/protocol';
import { apiText, seg } from '../api/client';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageTitle } from '../components/PageTitle';

const HINTS: Record<LaunchScriptKind, string> = {
  docker: 'Runs the data-plane image with Docker, the certificate mounted read-only, and the proxy on port 8000.',
  shell: 'Runs the data plane of this installation directly on the host, with the proxy on port 8000.',
};

/**
 * **Configure Runtime**: **Copy Script** asks the CP for a launch script (with
 * a certificate made for it), shows it, and puts it on the clipboard. A
 * GATEHOUSE_* variable set where the script runs wins over its own values.
 */
export function ConfigureRuntimePage() {
  const { rg = '' } = useParams();
  const group = useResource(`/runtime-groups/${seg(rg)}`, runtimeGroup);
  const [kind, setKind] = useState<LaunchScriptKind>('docker');
  const [scripts, setScripts] = useState<Partial<Record<LaunchScriptKind, string>>>({});
  const [copied, setCopied] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (group.error) return <ErrorNotice error={group.error} title="Could not load this runtime group" />;
  if (!group.data) return <Loading />;
  const g = group.data;

  const copyScript = async () => {
    setBusy(true);
    setError(undefined);
    setCopied(null);
    try {
      const script = await apiText(`/runtime-groups/${g.id}/launch-script`, { method: 'POST', body: { kind } });
      setScripts((s) => ({ ...s, [kind]: script }));
      // The clipboard needs a secure context and a granted permission; the script stays on screen either way.
      setCopied(
        await navigator.clipboard.writeText(script).then(
          () => true,
          () => false,
        ),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const script = scripts[kind];
  return (
    <Stack>
      <PageTitle
        crumbs={[
          { label: 'Runtime Manager', to: '/runtime-manager' },
          { label: g.name, to: `/runtime-manager/${g.id}` },
        ]}
        title="Configure New Runtime"
      />
      <Tabs
        value={kind}
        onChange={(v) => {
          setKind(v === 'shell' ? 'shell' : 'docker');
          setCopied(null);
        }}
      >
        <Tabs.List>
          <Tabs.Tab value="docker">Docker</Tabs.Tab>
          <Tabs.Tab value="shell">Shell</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Text>{HINTS[kind]} Each script carries a new certificate for this group, valid for 180 days.</Text>
      <Group>
        <Button onClick={() => void copyScript()} loading={busy}>
          Copy Script
        </Button>
        <Button variant="default" component={Link} to={`/runtime-manager/${g.id}/instances`}>
          Done
        </Button>
      </Group>
      <ErrorNotice error={error} title="No script was made" />
      {copied === true && (
        <Alert color="green" role="status">
          Script copied to the clipboard. Run it on any host.
        </Alert>
      )}
      {copied === false && (
        <Alert color="yellow" role="status">
          The browser did not allow copying: select the script below and copy it.
        </Alert>
      )}
      {script && (
        <Code block aria-label={`${kind} launch script`} data-testid="launch-script" style={{ maxHeight: 360, overflow: 'auto', whiteSpace: 'pre' }}>
          {script}
        </Code>
      )}
    </Stack>
  );
}
