import { z } from 'zod';

/** Body of `POST /v1/auth/login`. */
export const loginInput = z
  .object({
    email: z.string().min(1, 'must not be empty').max(320),
    password: z.string().min(1, 'must not be empty').max(1024),
  })
  .strict();
export type LoginInput = z.infer<typeof loginInput>;

/** The answer to a login: a session token (a JWT) and when it expires (ISO 8601). */
export const loginAnswer = z.object({
  token: z.string().min(1),
  expires_at: z.iso.datetime(),
});
export type LoginAnswer = z.infer<typeof loginAnswer>;
