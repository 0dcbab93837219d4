import { z } from 'zod';
import { tags, timestamp, uuid } from '../primitives';
import { parseHostAddress } from './host-address';
import { healthchecks } from './healthchecks';

/** Kong's load-balancing algorithms. */
export const balancerAlgorithm = z.enum(['round-robin', 'consistent-hashing', 'least-connections', 'latency']);
export type BalancerAlgorithm = z.infer<typeof balancerAlgorithm>;

/** What consistent hashing hashes on (and falls back to). */
export const hashOn = z.enum(['none', 'consumer', 'ip', 'header', 'cookie', 'path', 'query_arg', 'uri_capture']);
export type HashOn = z.infer<typeof hashOn>;

const headerName = z.string().refine((v) => /^[A-Za-z0-9_-]+$/.test(v), {
  error: (i) => `bad header name '${String(i.input)}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`,
});
const cookieName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid HTTP token');
const cookiePath = z
  .string()
  .max(1024)
  .regex(/^\//, 'should start with: /')
  .refine((p) => !p.includes('//'), 'must not have empty segments');
const simpleParam = z.string().min(1, 'length must be at least 1').max(1024);

function nameError(name: string, why: string): string {
  return `Invalid name ('${name}'); ${why}`;
}

/** An upstream's name: a hostname (the host of the services balanced over it), never an address or with a port. */
const upstreamName = z
  .string()
  .max(253)
  .superRefine((name, ctx) => {
    const p = parseHostAddress(name);
    if (p === null) ctx.addIssue({ code: 'custom', message: nameError(name, 'must be a valid hostname') });
    else if (p.type !== 'name') ctx.addIssue({ code: 'custom', message: nameError(name, 'no ip addresses allowed') });
    else if (p.port !== null) ctx.addIssue({ code: 'custom', message: nameError(name, 'no port allowed') });
  });

/** Kong's host_with_optional_port: a hostname or address, with an optional port. */
const hostWithOptionalPort = z
  .string()
  .max(255)
  .refine((v) => parseHostAddress(v) !== null, { error: (i) => `invalid value: ${String(i.input)}` });

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

const upstreamFields = z
  .object({
    name: upstreamName,
    algorithm: balancerAlgorithm.default('round-robin'),
    hash_on: hashOn.default('none'),
    hash_fallback: hashOn.default('none'),
    hash_on_header: optional(headerName),
    hash_fallback_header: optional(headerName),
    hash_on_cookie: optional(cookieName),
    hash_on_cookie_path: cookiePath.default('/'),
    hash_on_query_arg: optional(simpleParam),
    hash_fallback_query_arg: optional(simpleParam),
    hash_on_uri_capture: optional(simpleParam),
    hash_fallback_uri_capture: optional(simpleParam),
    slots: z
      .number()
      .int('must be an integer')
      .min(10, 'value should be between 10 and 65536')
      .max(65536, 'value should be between 10 and 65536')
      .default(10000),
    healthchecks,
    tags,
    host_header: optional(hostWithOptionalPort),
    use_srv_name: z.boolean().default(false),
    /** Gatehouse's circuit breaker (not in Kong): requests in flight per target and DP worker beyond which the target is skipped; null: no limit. */
    max_concurrent_requests_per_target: optional(
      z.number().int('must be an integer').min(1, 'value should be between 1 and 1000000').max(1000000, 'value should be between 1 and 1000000'),
    ),
  })
  .strict();

type UpstreamShape = z.output<typeof upstreamFields>;

/**
 * Kong's shorthands: `least-connections` and `latency` take no hash input
 * (hash_on becomes `none`); a hash_on other than `none` makes the algorithm
 * `consistent-hashing`. Unlike Kong, `hash_on: none` never turns the
 * algorithm back to round-robin, so that a dump reads back as written.
 */
function applyShorthands(u: UpstreamShape): UpstreamShape {
  if (u.algorithm === 'least-connections' || u.algorithm === 'latency') return { ...u, hash_on: 'none' };
  if (u.hash_on !== 'none') return { ...u, algorithm: 'consistent-hashing' };
  return u;
}

const REQUIRED_PARAM: Partial<Record<HashOn, 'header' | 'cookie' | 'query_arg' | 'uri_capture'>> = {
  header: 'header',
  cookie: 'cookie',
  query_arg: 'query_arg',
  uri_capture: 'uri_capture',
};

/** Kong's entity checks of an upstream: the parameter each hash input needs, and the fallbacks it allows. */
function checkUpstream(u: UpstreamShape, ctx: z.RefinementCtx): void {
  const missing = (field: keyof UpstreamShape): void => {
    if (u[field] === null || u[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required field missing' });
  };
  const primary = REQUIRED_PARAM[u.hash_on];
  if (primary === 'header') missing('hash_on_header');
  if (primary === 'cookie') missing('hash_on_cookie');
  if (primary === 'query_arg') missing('hash_on_query_arg');
  if (primary === 'uri_capture') missing('hash_on_uri_capture');
  const fallback = REQUIRED_PARAM[u.hash_fallback];
  if (fallback === 'header') missing('hash_fallback_header');
  // Kong keeps one cookie name: a cookie fallback uses hash_on_cookie too.
  if (fallback === 'cookie') missing('hash_on_cookie');
  if (fallback === 'query_arg') missing('hash_fallback_query_arg');
  if (fallback === 'uri_capture') missing('hash_fallback_uri_capture');
  const fallbackMustBeNone = u.hash_on === 'none' || u.hash_on === 'cookie';
  const sameAsPrimary = (u.hash_on === 'consumer' || u.hash_on === 'ip' || u.hash_on === 'path') && u.hash_fallback === u.hash_on;
  if ((fallbackMustBeNone && u.hash_fallback !== 'none') || sameAsPrimary) {
    const allowed = fallbackMustBeNone ? 'none' : hashOn.options.filter((o) => o !== u.hash_on).join(', ');
    ctx.addIssue({ code: 'custom', path: ['hash_fallback'], message: `expected one of: ${allowed}` });
  }
  const distinct = (a: keyof UpstreamShape, b: keyof UpstreamShape): void => {
    const va = u[a];
    if (va !== null && va !== undefined && va === u[b]) {
      ctx.addIssue({ code: 'custom', path: [b], message: `values of these fields must be distinct: '${a}', '${b}'` });
    }
  };
  distinct('hash_on_header', 'hash_fallback_header');
  distinct('hash_on_query_arg', 'hash_fallback_query_arg');
  distinct('hash_on_uri_capture', 'hash_fallback_uri_capture');
}

/** An upstream as written by a client (Kong's Upstream object: fields, defaults, shorthands, entity checks). */
export const upstreamInput = upstreamFields
  .transform((u) =>
    applyShorthands({
      ...u,
      hash_on_header: u.hash_on_header ?? null,
      hash_fallback_header: u.hash_fallback_header ?? null,
      hash_on_cookie: u.hash_on_cookie ?? null,
      hash_on_query_arg: u.hash_on_query_arg ?? null,
      hash_fallback_query_arg: u.hash_fallback_query_arg ?? null,
      hash_on_uri_capture: u.hash_on_uri_capture ?? null,
      hash_fallback_uri_capture: u.hash_fallback_uri_capture ?? null,
      host_header: u.host_header ?? null,
      max_concurrent_requests_per_target: u.max_concurrent_requests_per_target ?? null,
    }),
  )
  .superRefine(checkUpstream);
export type UpstreamInput = z.input<typeof upstreamFields>;
export type UpstreamFields = z.output<typeof upstreamInput>;

/** An upstream as stored, answered by the API and shipped to data planes. */
export const upstream = z.object({
  id: uuid,
  name: z.string(),
  algorithm: balancerAlgorithm,
  hash_on: hashOn,
  hash_fallback: hashOn,
  hash_on_header: z.string().nullable(),
  hash_fallback_header: z.string().nullable(),
  hash_on_cookie: z.string().nullable(),
  hash_on_cookie_path: z.string(),
  hash_on_query_arg: z.string().nullable(),
  hash_fallback_query_arg: z.string().nullable(),
  hash_on_uri_capture: z.string().nullable(),
  hash_fallback_uri_capture: z.string().nullable(),
  slots: z.number().int(),
  healthchecks,
  tags: z.array(z.string()),
  host_header: z.string().nullable(),
  use_srv_name: z.boolean(),
  /** Absent in a snapshot from before the field: no limit. */
  max_concurrent_requests_per_target: z.number().int().nullable().default(null),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Upstream = z.infer<typeof upstream>;
