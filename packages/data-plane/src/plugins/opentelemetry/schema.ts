import { z } from 'zod';
import { referenceable } from '@gatehouse/protocol';
import type { PluginSchema } from '../types';
import { headerName, ANY_SCOPE } from '../typedefs';
import { queueSchema } from '../log-serializer/queue-schema';

/** Kong's propagation formats; Gatehouse reads and writes W3C only so far (docs/PLUGINS.md). */
const FORMATS = ['w3c', 'b3', 'b3-single', 'jaeger', 'ot', 'aws', 'gcp', 'datadog', 'instana'] as const;
const notYet = (v: string) => `format '${v}' is not supported by Gatehouse yet (w3c only)`;
const w3cOnly = (allowed: readonly string[]) =>
  z.string().superRefine((v, ctx) => {
    if (!allowed.includes(v))
      ctx.addIssue({ code: 'custom', message: (FORMATS as readonly string[]).includes(v) ? notYet(v) : `expected one of: ${allowed.join(', ')}` });
  });

const url = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'missing host in url');

const timeout = (d: number) => z.number().int('expected an integer').min(0).max(2147483646).default(d);

const config = z
  .object({
    traces_endpoint: referenceable(url.nullable().default(null)),
    logs_endpoint: url.nullable().default(null),
    headers: z.record(headerName, referenceable(z.string())).nullable().default(null),
    resource_attributes: z.record(z.string(), z.string().min(1, 'required field missing')).nullable().default(null),
    queue: queueSchema.prefault({ max_batch_size: 200 }),
    batch_span_count: z.number().int().nullable().default(null),
    batch_flush_delay: z.number().int().nullable().default(null),
    connect_timeout: timeout(1000),
    send_timeout: timeout(5000),
    read_timeout: timeout(5000),
    http_response_header_for_traceid: z.string().nullable().default(null),
    header_type: z
      .string()
      .superRefine((v, ctx) => {
        if (!['preserve', 'ignore', 'w3c'].includes(v))
          ctx.addIssue({ code: 'custom', message: (FORMATS as readonly string[]).includes(v) ? notYet(v) : 'expected one of: preserve, ignore, w3c' });
      })
      .default('preserve'),
    sampling_rate: z.number().min(0, 'value should be between 0 and 1').max(1, 'value should be between 0 and 1').nullable().default(null),
    propagation: z
      .object({
        extract: z
          .array(w3cOnly(['w3c']))
          .nullable()
          .default(null),
        clear: z.array(headerName).nullable().default(null),
        inject: z
          .array(w3cOnly(['preserve', 'w3c']))
          .nullable()
          .default(null),
        default_format: w3cOnly(['w3c']),
      })
      .strict()
      .prefault({ default_format: 'w3c' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.traces_endpoint === null && c.logs_endpoint === null)
      ctx.addIssue({ code: 'custom', path: [], message: "at least one of these fields must be non-empty: 'config.traces_endpoint', 'config.logs_endpoint'" });
    if (c.logs_endpoint !== null)
      ctx.addIssue({ code: 'custom', path: ['logs_endpoint'], message: 'logs export is not supported by Gatehouse yet (traces only)' });
  });

/** opentelemetry: request traces exported over OTLP/HTTP, W3C trace context propagated upstream. */
export const opentelemetrySchema = { name: 'opentelemetry', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type OpentelemetryConfig = z.output<typeof config>;
