import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, headerName } from '../typedefs';

const present = (v: string | null): boolean => v !== null && v.length > 0;

const config = z
  .object({
    status_code: z.number().int('expected an integer').min(100).max(599).default(503),
    message: z.string().nullable().default(null),
    content_type: z.string().nullable().default(null),
    body: z.string().nullable().default(null),
    echo: z.boolean().default(false),
    trigger: headerName.nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (present(c.message) && (present(c.content_type) || present(c.body))) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'message cannot be used with content_type or body' });
    }
    if (present(c.content_type) && !present(c.body)) ctx.addIssue({ code: 'custom', path: ['content_type'], message: 'content_type requires a body' });
    if (c.echo && (present(c.content_type) || present(c.body)))
      ctx.addIssue({ code: 'custom', path: ['echo'], message: 'echo cannot be used with content_type and body' });
  });

/** request-termination: answers every request (or those carrying `trigger`) itself. */
export const requestTerminationSchema = { name: 'request-termination', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type RequestTerminationConfig = z.output<typeof config>;
