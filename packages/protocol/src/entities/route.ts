import { z } from 'zod';
import { regexProblem } from '../regex/translate';
import { routePathProblem } from '../paths/route-path';
import { entityName, entityRef, httpMethod, port, routeProtocol, tags, uuid, timestamp } from '../primitives';
import { parseCidr } from '../net/ip-address';
import { parseHostAddress } from './host-address';
import { routeRuleIssues } from './route-rules';

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

/** Kong's `wildcard_host` check of a route's SNI: a name (not an IP, no port), one `*` as its first or last character. */
function sniProblem(sni: string): string | null {
  const star = sni.indexOf('*');
  if (star !== -1 && star !== 0 && star !== sni.length - 1) return 'wildcard must be leftmost or rightmost character';
  if (sni.split('*').length > 2) return 'only one wildcard must be specified';
  const name = sni.replace('*', 'wildcard');
  const port = /:(\d*)$/.exec(name);
  const parsed = parseHostAddress(name);
  if (parsed === null && port !== null && parseHostAddress(name.slice(0, port.index)) !== null) return 'must not have a port';
  if (parsed === null) return `invalid value: ${name}`;
  if (parsed.type !== 'name') return 'must not be an IP';
  if (parsed.port !== null) return 'must not have a port';
  return null;
}

const sniName = z
  .string()
  .min(1)
  .max(253)
  .superRefine((v, ctx) => {
    const problem = sniProblem(v);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** One of a stream route's `sources` or `destinations` (Kong's record): an IP or CIDR block, a port, or both. */
const streamEndpoint = z
  .object({
    ip: z
      .string()
      .max(64)
      .refine((v) => parseCidr(v) !== null, { error: (iss) => `invalid ip or cidr range: '${String(iss.input)}'` })
      .nullable()
      .optional(),
    port: port.nullable().optional(),
  })
  .strict()
  .transform((e) => ({ ip: e.ip ?? null, port: e.port ?? null }))
  .superRefine((e, ctx) => {
    if (e.ip === null && e.port === null) ctx.addIssue({ code: 'custom', message: "at least one of these fields must be non-empty: 'ip', 'port'" });
  });

const streamEndpoints = z.array(streamEndpoint).max(256);

/** A stored source or destination: both keys, null when not matched on. */
const storedEndpoint = z.object({ ip: z.string().nullable(), port: z.number().int().nullable() });

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
    snis: z.array(sniName).max(256).nullable().optional(),
    sources: streamEndpoints.nullable().optional(),
    destinations: streamEndpoints.nullable().optional(),
    // Kong's default is true, but false for grpc routes (which may not set it to true): applied below.
    strip_path: z.boolean().optional(),
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
  .transform((r) => {
    const grpc = r.protocols.some((p) => p === 'grpc' || p === 'grpcs');
    return {
      ...r,
      name: r.name ?? null,
      methods: r.methods ?? [],
      hosts: r.hosts ?? [],
      paths: r.paths ?? [],
      headers: r.headers ?? {},
      snis: r.snis ?? [],
      sources: r.sources ?? [],
      destinations: r.destinations ?? [],
      strip_path: r.strip_path ?? !grpc,
      service: r.service ?? null,
      // Read by the rules below only, then dropped.
      stripPathSet: grpc && r.strip_path === true,
    };
  })
  .superRefine((r, ctx) => {
    for (const issue of routeRuleIssues(r)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .transform(({ stripPathSet: _set, ...r }) => r);
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
  // Defaults: snapshots cached by a data plane before these fields load as "matches on none".
  snis: z.array(z.string()).default([]),
  sources: z.array(storedEndpoint).default([]),
  destinations: z.array(storedEndpoint).default([]),
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
