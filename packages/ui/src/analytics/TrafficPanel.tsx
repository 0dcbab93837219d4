import { lazy, Suspense } from 'react';
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { analyticsReport } from '@gatehouse/protocol';
import { useResource } from '../data/useResource';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { statusBadgeColor } from './statusColors';

const POLL_MS = 3000;

// The chart library is most of the bundle's weight: it loads only once there is traffic to draw.
const StatusChart = lazy(() => import('./StatusChart').then((m) => ({ default: m.StatusChart })));

type StatusRecord = [code: string, requests: number];

const STATUS_COLUMNS: Column<StatusRecord>[] = [
  {
    label: 'Status code',
    render: ([code]) => (
      <Badge color={statusBadgeColor(code)} variant="light">
        {code}
      </Badge>
    ),
  },
  { label: 'Requests', render: ([, count]) => count },
];

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
  const report = useResource(`${path}?granularity=minute`, analyticsReport, POLL_MS);
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
            <DataTable label="Status code records" columns={STATUS_COLUMNS} rows={codes} rowKey={([code]) => code} minWidth={240} maw={420} />
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
