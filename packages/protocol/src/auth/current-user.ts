import { z } from 'zod';
import { timestamp, uuid } from '../primitives';

/** `GET /v1/me`: the user a token acts for, and the organization every query of theirs is scoped to. */
export const currentUser = z.object({
  id: uuid,
  email: z.string(),
  full_name: z.string().nullable(),
  organization: z.object({ id: uuid, name: z.string() }),
  created_at: timestamp,
});
export type CurrentUser = z.infer<typeof currentUser>;
