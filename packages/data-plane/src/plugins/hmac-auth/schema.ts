import { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER, optionalString } from '../typedefs';

/** The digests a client may sign with (Kong's `ALGORITHMS`). */
export const HMAC_ALGORITHMS = ['hmac-sha1', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;

const config = z
  .object({
    hide_credentials: z.boolean().default(false),
    clock_skew: z.number().gt(0, 'value must be greater than 0').default(300),
    anonymous: optionalString,
    validate_request_body: z.boolean().default(false),
    enforce_headers: z.array(z.string()).default(() => []),
    algorithms: z.array(z.enum(HMAC_ALGORITHMS, { error: `expected one of: ${HMAC_ALGORITHMS.join(', ')}` })).default(() => [...HMAC_ALGORITHMS]),
    realm: optionalString,
  })
  .strict();

/** hmac-auth: Kong's fields and defaults; it cannot be scoped to a consumer. */
export const hmacAuthSchema = { name: 'hmac-auth', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type HmacAuthConfig = z.output<typeof config>;
