import { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER, optionalString } from '../typedefs';

const config = z
  .object({
    uri_param_names: z.array(z.string()).default(() => ['jwt']),
    cookie_names: z.array(z.string()).default(() => []),
    header_names: z.array(z.string()).default(() => ['authorization']),
    key_claim_name: z.string().min(1, 'length must be at least 1').default('iss'),
    secret_is_base64: z.boolean().default(false),
    claims_to_verify: z
      .array(z.enum(['exp', 'nbf'], { error: 'expected one of: exp, nbf' }))
      .nullable()
      .default(null),
    anonymous: optionalString,
    run_on_preflight: z.boolean().default(true),
    maximum_expiration: z.number().min(0, 'value should be between 0 and 31536000').max(31536000, 'value should be between 0 and 31536000').default(0),
    realm: optionalString,
  })
  .strict()
  .superRefine((c, ctx) => {
    // Kong's entity check: a maximum lifetime is only enforced on tokens whose `exp` is verified.
    if (c.maximum_expiration > 0 && !(c.claims_to_verify ?? []).includes('exp')) {
      ctx.addIssue({ code: 'custom', path: ['claims_to_verify'], message: 'expected to contain: exp' });
    }
  });

/** jwt: Kong's fields and defaults; it cannot be scoped to a consumer. */
export const jwtSchema = { name: 'jwt', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type JwtConfig = z.output<typeof config>;
