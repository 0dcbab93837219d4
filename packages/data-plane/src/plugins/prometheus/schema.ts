import { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER } from '../typedefs';

const config = z
  .object({
    per_consumer: z.boolean().default(false),
    status_code_metrics: z.boolean().default(false),
    latency_metrics: z.boolean().default(false),
    bandwidth_metrics: z.boolean().default(false),
    upstream_health_metrics: z.boolean().default(false),
  })
  .strict();

/** prometheus: Kong's metric switches; the series appear on the DP's `/metrics`. */
export const prometheusSchema = { name: 'prometheus', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type PrometheusConfig = z.output<typeof config>;
