import { z } from 'zod';
import { uuid, timestamp } from '../primitives';

/** The name a runtime group is created with at bootstrap; it cannot be renamed or deleted. */
export const DEFAULT_RUNTIME_GROUP = 'default';

export const runtimeGroupInput = z
  .object({
    name: z
      .string()
      .min(1, 'must not be empty')
      .max(100, 'length must be at most 100')
      .regex(/^[A-Za-z0-9._~:-]+$/, 'must only contain alphanumeric and ., -, _, ~, : characters'),
    description: z.string().max(1000).nullable().optional(),
    labels: z.record(z.string().max(63), z.string().max(63)).default({}),
  })
  .strict();
export type RuntimeGroupInput = z.infer<typeof runtimeGroupInput>;

export const runtimeGroup = runtimeGroupInput.extend({
  id: uuid,
  created_at: timestamp,
  updated_at: timestamp,
});
export type RuntimeGroup = z.infer<typeof runtimeGroup>;
