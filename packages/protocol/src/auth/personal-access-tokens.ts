import { z } from 'zod';
import { timestamp, uuid } from '../primitives';

/** Every personal access token starts with this, so it is recognisable in logs and secret scanners. */
export const PAT_PREFIX = 'gpat_';

/** Body of `POST /v1/personal-access-tokens`. */
export const personalAccessTokenInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'length must be at most 100'),
    /** Days until the token stops working; omitted or null: it never expires. */
    expires_in_days: z.number().int('must be an integer').min(1).max(3650).nullable().optional(),
  })
  .strict();
export type PersonalAccessTokenInput = z.infer<typeof personalAccessTokenInput>;

/** A personal access token as listed: never the secret, which only its creation answer holds. */
export const personalAccessToken = z.object({
  id: uuid,
  name: z.string(),
  created_at: timestamp,
  expires_at: timestamp.nullable(),
  last_used_at: timestamp.nullable(),
});
export type PersonalAccessToken = z.infer<typeof personalAccessToken>;

/** The answer to creating a token: the only time its secret (`gpat_…`) is given out. */
export const createdPersonalAccessToken = personalAccessToken.extend({ token: z.string().startsWith(PAT_PREFIX) });
export type CreatedPersonalAccessToken = z.infer<typeof createdPersonalAccessToken>;
