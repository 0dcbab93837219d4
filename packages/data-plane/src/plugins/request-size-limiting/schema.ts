import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';

const config = z
  .object({
    allowed_payload_size: z.number().int('expected an integer').min(0).default(128),
    size_unit: z.enum(['megabytes', 'kilobytes', 'bytes']).default('megabytes'),
    require_content_length: z.boolean().default(false),
  })
  .strict();

/** request-size-limiting: refuses bodies larger than `allowed_payload_size` `size_unit`s. */
export const requestSizeLimitingSchema = { name: 'request-size-limiting', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type RequestSizeLimitingConfig = z.output<typeof config>;
