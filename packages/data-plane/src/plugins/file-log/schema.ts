import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';
import { customFieldsByLua, required } from '../log-serializer/fields';

const config = z
  .object({
    path: z.string(required('expected a string')).regex(/^[^*&%\\`]+$/, 'not a valid filename'),
    reopen: z.boolean().default(false),
    custom_fields_by_lua: customFieldsByLua,
  })
  .strict();

/** file-log: Kong's log entries appended, one JSON line each, to a file on the DP's host. */
export const fileLogSchema = { name: 'file-log', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type FileLogConfig = z.output<typeof config>;
