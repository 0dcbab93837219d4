import { z } from 'zod';
import { tags, uuid, timestamp } from '../primitives';

const consumerRef = z.object({ id: uuid });

/** An hmac-auth credential as written (`/consumers/{c}/hmac-auth`): with no `secret`, the CP generates one. */
export const hmacAuthInput = z.object({ username: z.string().min(1).max(256), secret: z.string().min(1).max(1024).optional(), tags }).strict();

/** An hmac-auth credential as the API answers it (Kong's Admin API shows the secret). */
export const hmacAuthCredential = z.object({
  id: uuid,
  consumer: consumerRef,
  username: z.string(),
  secret: z.string(),
  tags: z.array(z.string()),
  created_at: timestamp,
});

/** An hmac-auth credential as shipped to data planes. */
export const snapshotHmacAuth = z.object({ id: uuid, consumer: consumerRef, username: z.string(), secret: z.string(), tags: z.array(z.string()) });

/** How an hmac-auth credential is written in a file: the secret is required there. */
export const declarativeHmacAuth = hmacAuthInput.extend({ secret: z.string().min(1).max(1024) });
