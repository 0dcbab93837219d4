import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';

/** Kong's metric names (statsd/schema.lua METRIC_NAMES). */
export const STATSD_METRIC_NAMES = [
  'kong_latency',
  'latency',
  'request_count',
  'request_per_user',
  'request_size',
  'response_size',
  'status_count',
  'status_count_per_user',
  'unique_users',
  'upstream_latency',
  'status_count_per_workspace',
  'status_count_per_user_per_route',
  'shdict_usage',
] as const;
const STAT_TYPES = ['counter', 'gauge', 'histogram', 'meter', 'set', 'timer'] as const;
const CONSUMER_IDENTIFIERS = ['consumer_id', 'custom_id', 'username'] as const;
const SERVICE_IDENTIFIERS = ['service_id', 'service_name', 'service_host', 'service_name_or_host'] as const;
const WORKSPACE_IDENTIFIERS = ['workspace_id', 'workspace_name'] as const;
const TAG_STYLES = ['dogstatsd', 'influxdb', 'librato', 'signalfx'] as const;

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => (iss.input === undefined ? 'required field missing' : `expected one of: ${values.join(', ')}`) });
}

const metric = z
  .object({
    name: oneOf(STATSD_METRIC_NAMES),
    stat_type: oneOf(STAT_TYPES),
    sample_rate: z.number().gt(0, 'value must be greater than 0').nullable().default(null),
    consumer_identifier: oneOf(CONSUMER_IDENTIFIERS).nullable().default(null),
    service_identifier: oneOf(SERVICE_IDENTIFIERS).nullable().default(null),
    workspace_identifier: oneOf(WORKSPACE_IDENTIFIERS).nullable().default(null),
  })
  .strict()
  .superRefine((m, ctx) => {
    // Kong's entity check: counters and gauges need a sample_rate.
    if ((m.stat_type === 'counter' || m.stat_type === 'gauge') && m.sample_rate === null)
      ctx.addIssue({ code: 'custom', path: ['sample_rate'], message: 'required field missing' });
  });

type MetricInput = z.input<typeof metric>;
const counter = (name: (typeof STATSD_METRIC_NAMES)[number]): MetricInput => ({ name, stat_type: 'counter', sample_rate: 1 });
const timer = (name: (typeof STATSD_METRIC_NAMES)[number]): MetricInput => ({ name, stat_type: 'timer' });

/** Kong's DEFAULT_METRICS, in its order. */
const DEFAULT_METRICS: MetricInput[] = [
  counter('request_count'),
  timer('latency'),
  counter('request_size'),
  counter('status_count'),
  counter('response_size'),
  { name: 'unique_users', stat_type: 'set' },
  counter('request_per_user'),
  timer('upstream_latency'),
  timer('kong_latency'),
  counter('status_count_per_user'),
  counter('status_count_per_workspace'),
  counter('status_count_per_user_per_route'),
  { name: 'shdict_usage', stat_type: 'gauge', sample_rate: 1 },
];

/** Kong's `typedefs.queue` (accepted for compatibility; statsd sends each request's metrics at once, docs/PLUGINS.md). */
const queue = z
  .object({
    max_batch_size: z.number().int().min(1).max(1000000).default(1),
    max_coalescing_delay: z.number().min(0).max(3600).default(1),
    max_entries: z.number().int().min(1).max(1000000).default(10000),
    max_bytes: z.number().int().nullable().default(null),
    max_retry_time: z.number().default(60),
    initial_retry_delay: z.number().min(0.001).max(1000000).default(0.01),
    max_retry_delay: z.number().min(0.001).max(1000000).default(60),
    concurrency_limit: z.number().int().default(1),
  })
  .strict()
  .prefault({});

const config = z
  .object({
    host: z
      .string()
      .min(1, 'length must be at least 1')
      .regex(/^[A-Za-z0-9._:[\]-]+$/, 'invalid value: must be a host name or an IP address')
      .default('localhost'),
    port: z.number().int('expected an integer').min(0, 'value should be between 0 and 65535').max(65535, 'value should be between 0 and 65535').default(8125),
    prefix: z.string().default('kong'),
    metrics: z.array(metric).prefault(DEFAULT_METRICS),
    allow_status_codes: z
      .array(
        z.string().superRefine((v, ctx) => {
          if (!/^[0-9]+-[0-9]+$/.test(v)) ctx.addIssue({ code: 'custom', message: `invalid value: ${v}` });
        }),
      )
      .nullable()
      .default(null),
    udp_packet_size: z.number().min(0, 'value should be between 0 and 65507').max(65507, 'value should be between 0 and 65507').default(0),
    use_tcp: z.boolean().default(false),
    hostname_in_prefix: z.boolean().default(false),
    consumer_identifier_default: oneOf(CONSUMER_IDENTIFIERS).default('custom_id'),
    service_identifier_default: oneOf(SERVICE_IDENTIFIERS).default('service_name_or_host'),
    workspace_identifier_default: oneOf(WORKSPACE_IDENTIFIERS).default('workspace_id'),
    // Deprecated in Kong (no effect there either); accepted so Kong configs load.
    retry_count: z.number().int().nullable().default(null),
    queue_size: z.number().int().nullable().default(null),
    flush_timeout: z.number().nullable().default(null),
    tag_style: oneOf(TAG_STYLES).nullable().default(null),
    queue,
  })
  .strict();

/** statsd: Kong's metrics as StatsD lines over UDP (or TCP), sent after each response. */
export const statsdSchema = { name: 'statsd', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type StatsdConfig = z.output<typeof config>;
export type StatsdMetric = StatsdConfig['metrics'][number];
