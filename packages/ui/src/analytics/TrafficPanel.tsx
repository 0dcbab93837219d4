import { lazy, Suspense } from 'react';
import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Analytics } from '../api/types';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { statusBadgeColor } from './statusColors';

const POLL_MS = 3000;

// The chart library is most of the bundle's weight: it loads only once there is traffic to draw.
const StatusChart = lazy(() => import('./StatusChart').then((m) => ({ default: m.StatusChart })));

function Latency({ label, value }: { label: string; value: number | null }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600}>{value === null ? '—' : `${value} ms`}</Text>
    </Stack>
  );
}

/**
 * Traffic from an analytics endpoint, refreshed every 3 s: the status-code
 * records, a chart by status code over time, and latency percentiles. Until
 * there is traffic (or an analytics endpoint) it says "No traffic yet".
 */
export function TrafficPanel({ path, title }: { path: string; title: string }) {
  const report = useResource<Analytics>(`${path}?granularity=minute`, POLL_MS);
  const data = report.data;
  const noEndpoint = report.error?.status === 404;
  const empty = !data || data.total === 0;
  const codes = data ? Object.entries(data.by_status_code).sort(([a], [b]) => a.localeCompare(b)) : [];

  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            {title}
          </Title>
          {data && !empty && (
            <Text size="sm" c="dimmed">
              {data.total} requests
            </Text>
          )}
        </Group>
        {report.error && !noEndpoint && <ErrorNotice error={report.error} title="Could not load traffic" />}
        {empty ? (
          <Text c="dimmed">{report.loading && !data && !report.error ? 'Loading traffic…' : 'No traffic yet'}</Text>
        ) : (
          <>
            <Table aria-label="Status code records" maw={420}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Status code</Table.Th>
                  <Table.Th>Requests</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {codes.map(([code, count]) => (
                  <Table.Tr key={code}>
                    <Table.Td>
                      <Badge color={statusBadgeColor(code)} variant="light">
                        {code}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{count}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Suspense fallback={<Text c="dimmed">Loading chart…</Text>}>
              <StatusChart analytics={data} />
            </Suspense>
            <SimpleGrid cols={3} maw={420} aria-label="Latency percentiles">
              <Latency label="p50 latency" value={data.latency_ms.p50} />
              <Latency label="p95 latency" value={data.latency_ms.p95} />
              <Latency label="p99 latency" value={data.latency_ms.p99} />
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Card>
  );
}
