import { z } from 'zod';
import { regexProblem } from '@gatehouse/protocol';
import type { PluginSchema } from '../types';
import { headerName, httpMethodName, NO_CONSUMER, optionalList } from '../typedefs';
import { isLiteralOrigin, originPattern } from './origin-pattern';

/** Kong's default `methods`. */
export const CORS_DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];

/** A literal origin, or a regex the gateway can run in bounded time (the DP compiles it through the same translator). */
const origin = z
  .string()
  .min(1)
  .superRefine((o, ctx) => {
    if (isLiteralOrigin(o)) return;
    const problem = regexProblem(originPattern(o));
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `invalid origin: ${problem}` });
  });

const config = z
  .object({
    origins: optionalList(origin),
    headers: optionalList(headerName),
    exposed_headers: optionalList(headerName),
    methods: z.array(httpMethodName).default(() => [...CORS_DEFAULT_METHODS]),
    max_age: z.number().nullable().default(null),
    credentials: z.boolean().default(false),
    private_network: z.boolean().default(false),
    preflight_continue: z.boolean().default(false),
    allow_origin_absent: z.boolean().default(true),
  })
  .strict();

/** cors: Kong's fields and defaults; it cannot be scoped to a consumer. */
export const corsSchema = { name: 'cors', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type CorsConfig = z.output<typeof config>;
