import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { TargetHealthEntry, TargetHealthName } from '@gatehouse/protocol';

const COLOR: Record<TargetHealthName, string> = { HEALTHY: 'green', UNHEALTHY: 'red', DNS_ERROR: 'orange', HEALTHCHECKS_OFF: 'gray' };
const LABEL: Record<TargetHealthName, string> = { HEALTHY: 'Healthy', UNHEALTHY: 'Unhealthy', DNS_ERROR: 'DNS error', HEALTHCHECKS_OFF: 'Checks off' };

/** How often the targets' health is read again while the section is open. */
export const HEALTH_POLL_MS = 2000;

/**
 * A target's health as the connected data planes report it (docs/API.md,
 * upstream health): the combined state as a badge, each node's own view
 * listed after it ("no node reports it" when none is connected), then a
 * hostname target's resolved addresses with their combined health.
 */
export function TargetHealth({ entry }: { entry: TargetHealthEntry | undefined }) {
  if (!entry) return <Text c="dimmed">—</Text>;
  const nodes = entry.data.nodes;
  return (
    <Group gap={4} wrap="nowrap" aria-label={`Health of ${entry.target}: ${LABEL[entry.health]}`}>
      <Badge color={COLOR[entry.health]}>{LABEL[entry.health]}</Badge>
      {nodes.length === 0 ? (
        <Text size="xs" c="dimmed">
          no node reports it
        </Text>
      ) : (
        nodes.map((n) => (
          <Tooltip key={n.node_id} label={`node ${n.node_id}`}>
            <Text size="xs" c={COLOR[n.health]}>
              {n.hostname}: {LABEL[n.health]}
            </Text>
          </Tooltip>
        ))
      )}
      {resolved(entry).map((a) => (
        <Text key={`${a.ip}:${a.port}`} size="xs" c={COLOR[a.health]} aria-label={`Address ${a.ip}:${a.port}: ${LABEL[a.health]}`}>
          {a.ip}: {LABEL[a.health]}
        </Text>
      ))}
    </Group>
  );
}

/** A hostname target's addresses (an IP target's only address is the target itself, not listed again). */
function resolved(entry: TargetHealthEntry): TargetHealthEntry['data']['addresses'] {
  const host = entry.target.slice(0, entry.target.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return entry.data.addresses.filter((a) => a.ip !== host);
}
