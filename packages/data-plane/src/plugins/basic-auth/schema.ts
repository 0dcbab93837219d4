import { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER, optionalString } from '../typedefs';

const config = z
  .object({
    anonymous: optionalString,
    hide_credentials: z.boolean().default(false),
    realm: z.string().min(1).default('service'),
  })
  .strict();

/** basic-auth: Kong's fields and defaults; it cannot be scoped to a consumer. */
export const basicAuthSchema = { name: 'basic-auth', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type BasicAuthConfig = z.output<typeof config>;
