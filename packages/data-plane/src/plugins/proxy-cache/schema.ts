import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';

const METHODS = ['HEAD', 'GET', 'POST', 'PATCH', 'PUT'] as const;

const config = z
  .object({
    response_code: z
      .array(z.number().int('expected an integer').min(100, 'value should be between 100 and 900').max(900, 'value should be between 100 and 900'))
      .min(1, 'length must be at least 1')
      .default([200, 301, 404]),
    request_method: z.array(z.enum(METHODS, { error: `expected one of: ${METHODS.join(', ')}` })).default(['GET', 'HEAD']),
    content_type: z.array(z.string()).default(['text/plain', 'application/json']),
    cache_ttl: z.number().int('expected an integer').gt(0, 'value must be greater than 0').default(300),
    // Required without a default, as Kong; only the memory strategy exists (Kong OSS has no other either).
    strategy: z.enum(['memory'], { error: (i) => (i.input === undefined ? 'required field missing' : 'expected one of: memory') }),
    cache_control: z.boolean().default(false),
    ignore_uri_case: z.boolean().default(false),
    storage_ttl: z.number().int('expected an integer').nullable().default(null),
    memory: z
      .object({ dictionary_name: z.string().min(1, 'length must be at least 1').default('kong_db_cache') })
      .strict()
      .prefault({}),
    vary_query_params: z.array(z.string()).nullable().default(null),
    vary_headers: z.array(z.string()).nullable().default(null),
    response_headers: z
      .object({ age: z.boolean().default(true), 'X-Cache-Status': z.boolean().default(true), 'X-Cache-Key': z.boolean().default(true) })
      .strict()
      .prefault({}),
  })
  .strict();

/** proxy-cache: Kong's response cache, memory strategy (an LRU per DP worker, bounded in bytes). */
export const proxyCacheSchema = { name: 'proxy-cache', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type ProxyCacheConfig = z.output<typeof config>;
