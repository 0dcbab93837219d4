import type { RouteProtocol } from '../primitives';

/**
 * Kong's per-protocol route rules (its `routes_subschemas` and the route
 * entity checks), with Kong's messages. A route's protocols fall in one family
 * (`protocols` must not mix Kong's mutually exclusive sets); the family
 * decides which match fields it needs and which it must not set.
 */

/** The route protocols of Kong's stream subsystem. */
export const STREAM_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'tls', 'tls_passthrough', 'udp']);

/** Whether a route is served by the stream proxy (its protocols are stream ones) rather than the HTTP one. */
export function isStreamRoute(r: { protocols: readonly string[] }): boolean {
  return r.protocols.some((p) => STREAM_PROTOCOLS.has(p));
}

/** Kong's `mutually_exclusive_subsets` of route protocols; ws and wss count with http and https. */
const EXCLUSIVE_SETS: readonly (readonly RouteProtocol[])[] = [['http', 'https'], ['tcp', 'tls', 'udp'], ['tls_passthrough'], ['grpc', 'grpcs']];
const SET_OF: Partial<Record<RouteProtocol, readonly RouteProtocol[]>> = { ws: EXCLUSIVE_SETS[0], wss: EXCLUSIVE_SETS[0] };
for (const set of EXCLUSIVE_SETS) for (const p of set) SET_OF[p] = set;

/** The fields these rules read, as the route schema has them after its defaults. */
export interface RouteMatchFields {
  protocols: readonly RouteProtocol[];
  methods: readonly string[];
  hosts: readonly string[];
  paths: readonly string[];
  headers: Readonly<Record<string, unknown>>;
  snis: readonly string[];
  sources: readonly unknown[];
  destinations: readonly unknown[];
  /** Whether the client set strip_path to true (grpc routes may not). */
  stripPathSet: boolean;
}

/** One rule broken: the field it is reported on (a Zod path), and Kong's message. */
export interface RouteRuleIssue {
  path: (string | number)[];
  message: string;
}

const quoted = (words: readonly string[]): string => words.map((w) => `'${w}'`).join(', ');

function exclusiveSetsIssue(protocols: readonly RouteProtocol[]): RouteRuleIssue | null {
  const memberOf: (readonly RouteProtocol[])[] = [];
  for (const p of protocols) {
    const set = SET_OF[p];
    if (set !== undefined && !memberOf.includes(set)) memberOf.push(set);
  }
  if (memberOf.length <= 1) return null;
  return { path: ['protocols'], message: `these sets are mutually exclusive: ${memberOf.map((s) => `(${quoted(s)})`).join(', ')}` };
}

const STREAM_FORBIDS = "when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'";

function nonEmpty(r: RouteMatchFields, field: 'methods' | 'hosts' | 'paths' | 'headers' | 'snis' | 'sources' | 'destinations'): boolean {
  const v = r[field];
  return Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0;
}

function atLeastOne(r: RouteMatchFields, fields: readonly ('methods' | 'hosts' | 'paths' | 'headers' | 'snis' | 'sources' | 'destinations')[]): boolean {
  return fields.some((f) => nonEmpty(r, f));
}

function streamIssues(r: RouteMatchFields): RouteRuleIssue[] {
  const out: RouteRuleIssue[] = [];
  for (const f of ['methods', 'hosts', 'paths', 'headers'] as const) {
    if (nonEmpty(r, f)) out.push({ path: [f], message: `cannot set '${f}' ${STREAM_FORBIDS}` });
  }
  if (r.protocols.some((p) => p === 'tcp' || p === 'tls' || p === 'udp')) {
    const need = ['sources', 'destinations', 'snis'] as const;
    if (!atLeastOne(r, need)) out.push({ path: ['sources'], message: `must set one of ${quoted(need)} when 'protocols' is 'tcp', 'tls' or 'udp'` });
  }
  if (r.protocols.includes('tls_passthrough') && !nonEmpty(r, 'snis')) {
    out.push({ path: ['snis'], message: "must set snis when 'protocols' is 'tls_passthrough'" });
  }
  return out;
}

function grpcIssues(r: RouteMatchFields): RouteRuleIssue[] {
  const out: RouteRuleIssue[] = [];
  if (r.stripPathSet) out.push({ path: ['strip_path'], message: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" });
  for (const f of ['methods', 'sources', 'destinations'] as const) {
    if (nonEmpty(r, f)) out.push({ path: [f], message: `cannot set '${f}' when 'protocols' is 'grpc' or 'grpcs'` });
  }
  const secure = r.protocols.includes('grpcs');
  const need = secure ? (['hosts', 'headers', 'paths', 'snis'] as const) : (['hosts', 'headers', 'paths'] as const);
  if (!atLeastOne(r, need)) out.push({ path: ['paths'], message: `must set one of ${quoted(need)} when 'protocols' is '${secure ? 'grpcs' : 'grpc'}'` });
  return out;
}

function httpIssues(r: RouteMatchFields): RouteRuleIssue[] {
  const out: RouteRuleIssue[] = [];
  for (const f of ['sources', 'destinations'] as const) {
    if (nonEmpty(r, f)) out.push({ path: [f], message: `cannot set '${f}' when 'protocols' is 'http' or 'https'` });
  }
  const secure = r.protocols.includes('https') || r.protocols.includes('wss');
  const need = secure ? (['methods', 'hosts', 'headers', 'paths', 'snis'] as const) : (['methods', 'hosts', 'headers', 'paths'] as const);
  if (!atLeastOne(r, need)) out.push({ path: ['paths'], message: `must set one of ${quoted(need)} when 'protocols' is '${secure ? 'https' : 'http'}'` });
  return out;
}

const SNI_PROTOCOLS: ReadonlySet<string> = new Set(['https', 'wss', 'grpcs', 'tls', 'tls_passthrough']);

/**
 * Every Kong rule the route breaks, in Kong's words: mixed protocol families,
 * `udp` (Gatehouse has no UDP proxy), `snis` without a TLS protocol, and the
 * family's own rules (what it must match on, what it cannot set).
 */
export function routeRuleIssues(r: RouteMatchFields): RouteRuleIssue[] {
  const mixed = exclusiveSetsIssue(r.protocols);
  if (mixed !== null) return [mixed];
  const out: RouteRuleIssue[] = [];
  const udp = r.protocols.indexOf('udp');
  if (udp !== -1) out.push({ path: ['protocols', udp], message: "'udp' is not supported: the stream proxy carries 'tcp', 'tls' and 'tls_passthrough'" });
  if (nonEmpty(r, 'snis') && !r.protocols.some((p) => SNI_PROTOCOLS.has(p))) {
    out.push({ path: ['snis'], message: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'" });
  }
  if (isStreamRoute(r)) out.push(...streamIssues(r));
  else if (r.protocols.some((p) => p === 'grpc' || p === 'grpcs')) out.push(...grpcIssues(r));
  else out.push(...httpIssues(r));
  return out;
}
