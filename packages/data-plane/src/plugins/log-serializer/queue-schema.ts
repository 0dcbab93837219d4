import { z } from 'zod';

const between = (lo: number, hi: number) => `value should be between ${lo} and ${hi}`;

/** Kong 3.x's `queue` record (kong/tools/queue_schema): the same fields, defaults and bounds. */
export const queueSchema = z
  .object({
    name: z.string().nullable().default(null),
    max_batch_size: z.number().int('expected an integer').min(1, between(1, 1000000)).max(1000000, between(1, 1000000)).default(1),
    max_coalescing_delay: z.number().min(0, between(0, 3600)).max(3600, between(0, 3600)).default(1),
    max_entries: z.number().int('expected an integer').min(1, between(1, 1000000)).max(1000000, between(1, 1000000)).default(10000),
    max_bytes: z.number().int('expected an integer').nullable().default(null),
    max_retry_time: z.number().default(60),
    initial_retry_delay: z.number().min(0.001, between(0.001, 1000000)).max(1000000, between(0.001, 1000000)).default(0.01),
    max_retry_delay: z.number().min(0.001, between(0.001, 1000000)).max(1000000, between(0.001, 1000000)).default(60),
    concurrency_limit: z
      .number()
      .int('expected an integer')
      .refine((v) => v === -1 || v === 1, 'expected one of: -1, 1')
      .default(1),
  })
  .strict()
  .prefault({});

export type QueueConfig = z.output<typeof queueSchema>;
