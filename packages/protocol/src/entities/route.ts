import { z } from 'zod';
import { regexProblem } from '../regex/translate';
import { routePathProblem } from '../paths/route-path';
import { entityName, entityRef, httpMethod, routeProtocol, tags, uuid, timestamp } from '../primitives';

/**
 * A route path: a plain prefix starting with `/`, already in the normalized
 * form requests are routed by, or a regex starting with `~` (Kong's rules:
 * `routePathProblem`).
 */
export const routePath = z.string().superRefine((p, ctx) => {
  // The DP normalizes requests and compiles regexes with the same code (docs/PROXY.md, Routing).
  const problem = routePathProblem(p);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** Methods as an array, or as the UI and CLI also take them: `"GET, POST"`. */
const methods = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '')
      : v,
  z.array(httpMethod).max(64),
);

const hostPattern = z
  .string()
  .min(1)
  .max(256)
  .regex(/^(\*\.)?[A-Za-z0-9.\-_]+(\.\*)?(:\d+)?$/, 'invalid host (a name, optionally with one leading or trailing * wildcard)');

/** A header value to match: a plain value, or `~*` and a case-insensitive regex the gateway can run (the DP compiles it through the same translator). */
const headerValue = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((v, ctx) => {
    if (!v.startsWith('~*')) return;
    const problem = regexProblem(v.slice(2), { caseInsensitive: true });
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const headerValues = z.array(headerValue).min(1).max(64);

const routeFields = z
  .object({
    name: entityName.nullable().optional(),
    protocols: z.array(routeProtocol).min(1).default(['http', 'https']),
    methods: methods.nullable().optional(),
    hosts: z.array(hostPattern).max(256).nullable().optional(),
    paths: z.array(routePath).max(256).nullable().optional(),
    headers: z
      .record(
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'invalid header name'),
        headerValues,
      )
      .nullable()
      .optional(),
    strip_path: z.boolean().default(true),
    preserve_host: z.boolean().default(false),
    regex_priority: z.number().int('must be an integer').min(-2147483648).max(2147483647).default(0),
    https_redirect_status_code: z.union([z.literal(426), z.literal(301), z.literal(302), z.literal(307), z.literal(308)]).default(426),
    path_handling: z.enum(['v0', 'v1']).default('v0'),
    request_buffering: z.boolean().default(true),
    response_buffering: z.boolean().default(true),
    tags,
    service: entityRef.nullable().optional(),
  })
  .strict();

/** A route as written by a client (Kong's Route object). */
export const routeInput = routeFields
  .transform((r) => ({
    ...r,
    name: r.name ?? null,
    methods: r.methods ?? [],
    hosts: r.hosts ?? [],
    paths: r.paths ?? [],
    headers: r.headers ?? {},
    service: r.service ?? null,
  }))
  .superRefine((r, ctx) => {
    if (r.methods.length === 0 && r.hosts.length === 0 && r.paths.length === 0 && Object.keys(r.headers).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['paths'], message: 'must set one of methods, hosts, headers, paths' });
    }
  });
export type RouteInput = z.input<typeof routeFields>;
export type RouteFields = z.output<typeof routeInput>;

/** A route as stored and returned by the API. */
export const route = z.object({
  id: uuid,
  name: z.string().nullable(),
  protocols: z.array(routeProtocol),
  methods: z.array(z.string()),
  hosts: z.array(z.string()),
  paths: z.array(z.string()),
  headers: z.record(z.string(), z.array(z.string())),
  strip_path: z.boolean(),
  preserve_host: z.boolean(),
  regex_priority: z.number().int(),
  https_redirect_status_code: z.number().int(),
  path_handling: z.enum(['v0', 'v1']),
  request_buffering: z.boolean(),
  response_buffering: z.boolean(),
  tags: z.array(z.string()),
  service: z.object({ id: uuid }).nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Route = z.infer<typeof route>;
