import { z } from 'zod';
import type { PluginSchema } from '../types';
import { headerName, NO_CONSUMER, optionalString } from '../typedefs';

const config = z
  .object({
    key_names: z
      .array(headerName)
      .min(1, 'length must be at least 1')
      .default(() => ['apikey']),
    hide_credentials: z.boolean().default(false),
    anonymous: optionalString,
    key_in_header: z.boolean().default(true),
    key_in_query: z.boolean().default(true),
    key_in_body: z.boolean().default(false),
    run_on_preflight: z.boolean().default(true),
    realm: optionalString,
  })
  .strict();

/** key-auth: Kong's fields and defaults; it cannot be scoped to a consumer. */
export const keyAuthSchema = { name: 'key-auth', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type KeyAuthConfig = z.output<typeof config>;
