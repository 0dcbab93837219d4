import { z } from 'zod';
import { referenceable } from '@gatehouse/protocol';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, headerName, optionalString } from '../typedefs';

/** Kong's periods, shortest first; limits must not shrink as periods grow. */
export const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

const limit = z.number().gt(0, 'value must be greater than 0').nullable().default(null);

const config = z
  .object({
    second: limit,
    minute: limit,
    hour: limit,
    day: limit,
    month: limit,
    year: limit,
    limit_by: z.enum(['consumer', 'credential', 'ip', 'service', 'header', 'path']).default('consumer'),
    header_name: headerName.nullable().default(null),
    path: z.string().regex(/^\//, 'should start with: /').nullable().default(null),
    policy: z
      .enum(['local', 'redis'], {
        error: 'expected one of: local, redis (the cluster policy needs a database on every node and is not available on data planes)',
      })
      .default('local'),
    fault_tolerant: z.boolean().default(true),
    hide_client_headers: z.boolean().default(false),
    error_code: z.number().int().min(100).max(599).default(429),
    error_message: z.string().default('API rate limit exceeded'),
    sync_rate: z.number().default(-1),
    redis_host: optionalString,
    redis_port: z.number().int().min(0).max(65535).default(6379),
    // Kong: referenceable (kong/tools/redis/schema.lua); a {vault://...} reference is resolved on the DP.
    redis_username: referenceable(optionalString),
    redis_password: referenceable(optionalString),
    redis_database: z.number().int().min(0).default(0),
    redis_timeout: z.number().int().min(0).max(2147483646).default(2000),
    redis_ssl: z.boolean().default(false),
    redis_ssl_verify: z.boolean().default(false),
    redis_server_name: optionalString,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (PERIODS.every((p) => c[p] === null)) {
      ctx.addIssue({ code: 'custom', path: [], message: `at least one of these fields must be non-empty: ${PERIODS.map((p) => `'config.${p}'`).join(', ')}` });
    }
    PERIODS.forEach((lower, i) => {
      const lowerLimit = c[lower];
      if (lowerLimit === null) return;
      for (const upper of PERIODS.slice(i + 1)) {
        const upperLimit = c[upper];
        if (upperLimit !== null && upperLimit < lowerLimit) {
          ctx.addIssue({
            code: 'custom',
            path: [upper],
            message: `The limit for ${upper}(${upperLimit.toFixed(1)}) cannot be lower than the limit for ${lower}(${lowerLimit.toFixed(1)})`,
          });
        }
      }
    });
    if (c.policy === 'redis' && c.redis_host === null) ctx.addIssue({ code: 'custom', path: ['redis_host'], message: 'required field missing' });
    if (c.limit_by === 'header' && c.header_name === null) ctx.addIssue({ code: 'custom', path: ['header_name'], message: 'required field missing' });
    if (c.limit_by === 'path' && c.path === null) ctx.addIssue({ code: 'custom', path: ['path'], message: 'required field missing' });
  });

/** rate-limiting: Kong's config fields and defaults (flat `redis_*` fields, as in Kong 3.0–3.5). */
export const rateLimitingSchema = { name: 'rate-limiting', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type RateLimitingConfig = z.output<typeof config>;
