import { z } from 'zod';
import { timestamp, uuid } from '../primitives';
import { SECRET_NAME_PATTERN } from './reference';

/** The most characters a stored secret may hold (a PEM key with its chain fits). */
export const SECRET_VALUE_MAX = 65_536;

/** A secret's name, as `{vault://gatehouse/<name>}` names it. */
export const secretName = z.string().regex(SECRET_NAME_PATTERN, "invalid secret name: letters, digits, '_', '-' and '.', at most 128");

/** The body of `PUT /v1/secrets/{name}`: the value, stored encrypted and never answered. */
export const secretInput = z
  .object({
    value: z.string().min(1, 'length must be at least 1').max(SECRET_VALUE_MAX, `length must be at most ${SECRET_VALUE_MAX}`),
  })
  .strict();
export type SecretInput = z.infer<typeof secretInput>;

/** A secret as the API answers it: never its value; the runtime groups whose config references it. */
export const secretAnswer = z.object({
  name: z.string(),
  runtime_groups: z.array(z.object({ id: uuid, name: z.string() })),
  created_at: timestamp,
  updated_at: timestamp,
});
export type SecretAnswer = z.infer<typeof secretAnswer>;

/** `GET /v1/secrets`: a page of the organization's secrets (oldest first, `offset` for the next page). */
export const secretList = z.object({ data: z.array(secretAnswer), offset: z.string().nullable() });
