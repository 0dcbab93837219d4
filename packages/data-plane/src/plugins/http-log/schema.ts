import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, headerName } from '../typedefs';
import { customFieldsByLua, oneOf, required } from '../log-serializer/fields';
import { queueSchema } from '../log-serializer/queue-schema';

const FORBIDDEN_HEADERS: Record<string, string> = {
  host: "cannot contain 'Host' header",
  'content-length': "cannot contain 'Content-Length' header",
  'content-type': "cannot contain 'Content-Type' header",
};

const endpoint = z.string(required('expected a string')).refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'missing host in url');

const config = z
  .object({
    http_endpoint: endpoint,
    method: oneOf(['POST', 'PUT', 'PATCH']).default('POST'),
    content_type: oneOf(['application/json', 'application/json; charset=utf-8']).default('application/json'),
    timeout: z.number().default(10000),
    keepalive: z.number().default(60000),
    // Deprecated in Kong 3.x (the queue record replaces them); accepted and ignored as Kong does.
    retry_count: z.number().int().nullable().default(null),
    queue_size: z.number().int().nullable().default(null),
    flush_timeout: z.number().nullable().default(null),
    headers: z
      .record(headerName, z.string())
      .superRefine((h, c) => {
        for (const k of Object.keys(h)) {
          const msg = FORBIDDEN_HEADERS[k.toLowerCase()];
          if (msg !== undefined) c.addIssue({ code: 'custom', path: [k], message: msg });
        }
      })
      .nullable()
      .default(null),
    queue: queueSchema,
    custom_fields_by_lua: customFieldsByLua,
  })
  .strict()
  .superRefine((c, ctx) => {
    let userinfo: boolean;
    try {
      const u = new URL(c.http_endpoint);
      userinfo = u.username !== '' || u.password !== '';
    } catch {
      return;
    }
    if (userinfo && c.headers !== null && Object.keys(c.headers).some((h) => h.toLowerCase() === 'authorization'))
      ctx.addIssue({ code: 'custom', path: [], message: "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed" });
  });

/** http-log: Kong's log entries POSTed (or PUT/PATCHed) to an HTTP endpoint through a batching queue. */
export const httpLogSchema = { name: 'http-log', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type HttpLogConfig = z.output<typeof config>;
