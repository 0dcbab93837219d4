import { z } from 'zod';
import { entityName, entityRef, hostname, port, serviceProtocol, tags, timeout, uuid, timestamp, type ServiceProtocol } from '../primitives';

const DEFAULT_PORTS: Partial<Record<ServiceProtocol, number>> = { http: 80, ws: 80, https: 443, wss: 443, grpc: 80, grpcs: 443 };

/** The port a service uses when none is given: Kong's per-protocol default. */
export function defaultPort(protocol: ServiceProtocol): number {
  return DEFAULT_PORTS[protocol] ?? 80;
}

const urlError = 'must be a valid URL such as http://example.com:8080/path';

/**
 * Kong's `url` shorthand: `url` sets protocol, host, port and path at once.
 * A URL that does not parse is kept so that validation reports it on `url`.
 */
function expandUrl(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { url, ...rest } = input as Record<string, unknown>;
  if (url === undefined) return input;
  if (typeof url !== 'string') return input;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return input;
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (!serviceProtocol.safeParse(protocol).success || parsed.hostname === '') return input;
  // A URL of a scheme WHATWG does not know (grpc://, tcp://) without a path has an empty pathname, not '/'.
  const path = parsed.pathname === '' || (parsed.pathname === '/' && !url.replace(/^[a-z]+:\/\/[^/]*/i, '').startsWith('/')) ? null : parsed.pathname;
  return {
    ...rest,
    protocol,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? defaultPort(protocol as ServiceProtocol) : Number(parsed.port),
    path,
  };
}

/** The protocols whose services may set the upstream TLS fields (Kong's entity checks). */
const TLS_PROTOCOLS: readonly ServiceProtocol[] = ['https', 'tls'];
const UPSTREAM_TLS_FIELDS = ['client_certificate', 'tls_verify', 'tls_verify_depth', 'ca_certificates'] as const;

/** Kong: a service of another protocol leaves every upstream TLS field null. */
function checkUpstreamTls(s: { protocol: ServiceProtocol } & Record<(typeof UPSTREAM_TLS_FIELDS)[number], unknown>, ctx: z.RefinementCtx): void {
  if (TLS_PROTOCOLS.includes(s.protocol)) return;
  for (const field of UPSTREAM_TLS_FIELDS)
    if (s[field] !== null && !(Array.isArray(s[field]) && s[field].length === 0))
      ctx.addIssue({ code: 'custom', path: [field], message: 'value must be null' });
}

/** Kong's protocols whose services carry no `path` (nothing to prefix: streams, and gRPC's method paths). */
const PATHLESS_PROTOCOLS: readonly ServiceProtocol[] = ['tcp', 'tls', 'udp', 'grpc', 'grpcs'];

/** Kong's entity check: a service of those protocols leaves `path` null. */
function checkPathless(s: { protocol: ServiceProtocol; path: string | null }, ctx: z.RefinementCtx): void {
  if (s.path !== null && PATHLESS_PROTOCOLS.includes(s.protocol)) ctx.addIssue({ code: 'custom', path: ['path'], message: 'value must be null' });
}

const serviceFields = z
  .object({
    name: entityName.nullable().optional(),
    url: z.never({ error: urlError }).optional(),
    protocol: serviceProtocol.default('http'),
    host: hostname,
    port: port.optional(),
    path: z
      .string()
      .max(1024)
      .regex(/^\/[^?#\s]*$/, 'should start with: /')
      .nullable()
      .optional(),
    retries: z.number().int('must be an integer').min(0).max(32767).default(5),
    connect_timeout: timeout.default(60000),
    write_timeout: timeout.default(60000),
    read_timeout: timeout.default(60000),
    tags,
    enabled: z.boolean().default(true),
    // Upstream TLS (Kong's fields): only for https and tls services.
    client_certificate: entityRef.nullable().optional(),
    tls_verify: z.boolean().nullable().optional(),
    tls_verify_depth: z
      .number()
      .int('must be an integer')
      .min(0, 'value should be between 0 and 64')
      .max(64, 'value should be between 0 and 64')
      .nullable()
      .optional(),
    ca_certificates: z.array(uuid).nullable().optional(),
  })
  .strict()
  .transform(({ url: _url, ...s }) => ({
    ...s,
    name: s.name ?? null,
    path: s.path ?? null,
    port: s.port ?? defaultPort(s.protocol),
    client_certificate: s.client_certificate ?? null,
    tls_verify: s.tls_verify ?? null,
    tls_verify_depth: s.tls_verify_depth ?? null,
    // Stored as a list: no CA certificates reads [] (Kong: null).
    ca_certificates: s.ca_certificates ?? [],
  }))
  .superRefine(checkUpstreamTls)
  .superRefine(checkPathless);

/** A gateway service as written by a client (Kong's Service object; `url` accepted). */
export const serviceInput = z.preprocess(expandUrl, serviceFields);
export type ServiceInput = z.input<typeof serviceFields> & { url?: string };
export type ServiceFields = z.output<typeof serviceFields>;

/** A gateway service as stored and returned by the API. */
export const service = z.object({
  id: uuid,
  name: entityName.nullable(),
  protocol: serviceProtocol,
  host: hostname,
  port,
  path: z.string().nullable(),
  retries: z.number().int(),
  connect_timeout: timeout,
  write_timeout: timeout,
  read_timeout: timeout,
  tags: z.array(z.string()),
  enabled: z.boolean(),
  // Absent in a snapshot from before upstream TLS: null, Kong's "not set".
  client_certificate: z.object({ id: uuid }).nullable().default(null),
  tls_verify: z.boolean().nullable().default(null),
  tls_verify_depth: z.number().int().nullable().default(null),
  ca_certificates: z.array(uuid).default([]),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Service = z.infer<typeof service>;
