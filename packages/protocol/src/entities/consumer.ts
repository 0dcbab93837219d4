import { z } from 'zod';
import { tags, uuid, timestamp } from '../primitives';

const consumerFields = z
  .object({
    username: z.string().min(1).max(256).nullable().optional(),
    custom_id: z.string().min(1).max(256).nullable().optional(),
    tags,
  })
  .strict();

/** A consumer as written by a client; it needs a `username` or a `custom_id`. */
export const consumerInput = consumerFields
  .transform((c) => ({ ...c, username: c.username ?? null, custom_id: c.custom_id ?? null }))
  .superRefine((c, ctx) => {
    if (c.username === null && c.custom_id === null) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'at least one of these fields must be non-empty: username, custom_id' });
    }
  });
export type ConsumerInput = z.input<typeof consumerFields>;

export const consumer = z.object({
  id: uuid,
  username: z.string().nullable(),
  custom_id: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Consumer = z.infer<typeof consumer>;

/** A key-auth credential as written: with no `key`, the CP generates one and returns it once. */
export const keyAuthInput = z.object({ key: z.string().min(1).max(1024).optional(), tags }).strict();

/** A key-auth credential as returned after creation: never the key itself. */
export const keyAuthCredential = z.object({
  id: uuid,
  consumer: z.object({ id: uuid }),
  key: z.string().optional(),
  tags: z.array(z.string()),
  created_at: timestamp,
});

export const basicAuthInput = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024), tags }).strict();

export const basicAuthCredential = z.object({
  id: uuid,
  consumer: z.object({ id: uuid }),
  username: z.string(),
  tags: z.array(z.string()),
  created_at: timestamp,
});

export const aclInput = z.object({ group: z.string().min(1).max(256), tags }).strict();

export const acl = z.object({
  id: uuid,
  consumer: z.object({ id: uuid }),
  group: z.string(),
  tags: z.array(z.string()),
  created_at: timestamp,
});

const consumerRef = z.object({ id: uuid });

/** A key-auth credential as shipped to data planes: the SHA-256 of the key, never the key. */
export const snapshotKeyAuth = z.object({
  id: uuid,
  consumer: consumerRef,
  key_hash: z.string().regex(/^[0-9a-f]{64}$/),
  tags: z.array(z.string()),
});

/** A basic-auth credential as shipped to data planes: a salted scrypt hash. */
export const snapshotBasicAuth = z.object({
  id: uuid,
  consumer: consumerRef,
  username: z.string(),
  password_hash: z.string(),
  tags: z.array(z.string()),
});

/** An ACL group membership as shipped to data planes. */
export const snapshotAcl = z.object({
  id: uuid,
  consumer: consumerRef,
  group: z.string(),
  tags: z.array(z.string()),
});

/** How a key-auth credential is written in a file: the key, or (as dumps write it) its SHA-256. */
export const declarativeKeyAuth = keyAuthInput
  .extend({
    key_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest')
      .optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.key === undefined) === (c.key_hash === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'exactly one of key, key_hash is required in a declarative file' });
    }
  });

/** How a basic-auth credential is written: the password, or (as dumps write it) its stored hash. */
export const declarativeBasicAuth = basicAuthInput
  .extend({ password: z.string().min(1).max(1024).optional(), password_hash: z.string().min(1).max(1024).optional() })
  .superRefine((c, ctx) => {
    if ((c.password === undefined) === (c.password_hash === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'exactly one of password, password_hash is required' });
    }
  });
