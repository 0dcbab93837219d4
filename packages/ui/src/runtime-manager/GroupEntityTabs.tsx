import { Anchor, Badge } from '@mantine/core';
import { Link } from 'react-router-dom';
import { consumer, plugin, route, service, type Plugin } from '@gatehouse/protocol';
import { EntityTable } from './EntityTable';
import { TagList } from './TagList';
import { upstreamUrl } from './upstreamUrl';
import { streamMatchText } from './streamEndpoints';

/** The group's **Gateway Services**, each with its tags and a link to its page. */
export function GatewayServicesTab({ groupId }: { groupId: string }) {
  return (
    <EntityTable
      row={service}
      path={`/runtime-groups/${groupId}/services`}
      label="Gateway Services"
      empty="No gateway services in this group yet."
      rowKey={(s) => s.id}
      columns={[
        {
          label: 'Name',
          render: (s) => (
            <Anchor component={Link} to={`/runtime-manager/${groupId}/gateway-services/${s.id}`}>
              {s.name ?? s.id}
            </Anchor>
          ),
        },
        { label: 'Upstream URL', render: (s) => upstreamUrl(s) },
        { label: 'Enabled', render: (s) => (s.enabled ? 'Yes' : 'No') },
        { label: 'Tags', render: (s) => <TagList tags={s.tags} /> },
      ]}
    />
  );
}

/** The group's routes, with what each matches on: methods, paths, hosts, SNIs and (stream routes) sources and destinations. */
export function RoutesTab({ groupId }: { groupId: string }) {
  return (
    <EntityTable
      row={route}
      path={`/runtime-groups/${groupId}/routes`}
      label="Routes"
      empty="No routes in this group yet."
      rowKey={(r) => r.id}
      columns={[
        { label: 'Name', render: (r) => r.name ?? r.id },
        { label: 'Protocols', render: (r) => r.protocols.join(', ') },
        { label: 'Methods', render: (r) => r.methods.join(', ') || 'any' },
        { label: 'Paths', render: (r) => r.paths.join(', ') || '—' },
        { label: 'Hosts', render: (r) => r.hosts.join(', ') || '—' },
        { label: 'SNIs', render: (r) => r.snis.join(', ') || '—' },
        { label: 'Sources / Destinations', render: (r) => streamMatchText(r.sources, r.destinations) ?? '—' },
        {
          label: 'Gateway service',
          render: (r) =>
            r.service ? (
              <Anchor component={Link} to={`/runtime-manager/${groupId}/gateway-services/${r.service.id}`}>
                Open
              </Anchor>
            ) : (
              '—'
            ),
        },
        { label: 'Tags', render: (r) => <TagList tags={r.tags} /> },
      ]}
    />
  );
}

/** Where a plugin applies: the most specific scope it names. */
function pluginScope(p: Plugin): string {
  const scopes = [p.service && 'service', p.route && 'route', p.consumer && 'consumer'].filter(Boolean);
  return scopes.length === 0 ? 'global' : scopes.join(' + ');
}

/** The group's plugins, with the scope each applies to. */
export function PluginsTab({ groupId }: { groupId: string }) {
  return (
    <EntityTable
      row={plugin}
      path={`/runtime-groups/${groupId}/plugins`}
      label="Plugins"
      empty="No plugins in this group yet."
      rowKey={(p) => p.id}
      columns={[
        { label: 'Name', render: (p) => p.instance_name ?? p.name },
        { label: 'Plugin', render: (p) => p.name },
        { label: 'Scope', render: (p) => pluginScope(p) },
        { label: 'Enabled', render: (p) => <Badge color={p.enabled ? 'green' : 'gray'}>{p.enabled ? 'Enabled' : 'Disabled'}</Badge> },
        { label: 'Tags', render: (p) => <TagList tags={p.tags} /> },
      ]}
    />
  );
}

/** The group's consumers. */
export function ConsumersTab({ groupId }: { groupId: string }) {
  return (
    <EntityTable
      row={consumer}
      path={`/runtime-groups/${groupId}/consumers`}
      label="Consumers"
      empty="No consumers in this group yet."
      rowKey={(c) => c.id}
      columns={[
        { label: 'Username', render: (c) => c.username ?? '—' },
        { label: 'Custom ID', render: (c) => c.custom_id ?? '—' },
        { label: 'Tags', render: (c) => <TagList tags={c.tags} /> },
      ]}
    />
  );
}
