/**
 * Which of its own headers the gateway sends, and under which names: Kong's
 * `headers` and `headers_upstream` settings (kong.conf), read from
 * GATEHOUSE_HEADERS and GATEHOUSE_HEADERS_UPSTREAM (docs/DATA-PLANE.md).
 * A name is lower case, or null when that header is not sent. Built once at
 * start-up; the proxy only reads it.
 */
export interface HeaderProfile {
  /** `Server` on answers the gateway gives itself, and on proxied responses whose upstream sent none. */
  readonly server: boolean;
  /** `Via` on proxied responses. */
  readonly via: boolean;
  /** Milliseconds spent before the request went upstream (proxied responses). */
  readonly proxyLatency: string | null;
  /** Milliseconds from sending upstream to the upstream's response head (proxied responses). */
  readonly upstreamLatency: string | null;
  /** Milliseconds to the gateway's own answer (answers the gateway gives itself). */
  readonly responseLatency: string | null;
  /** The upstream's status, before plugins change it (proxied responses). */
  readonly upstreamStatus: string | null;
  /** The request id, to the client. */
  readonly requestId: string | null;
  /** The request id, to the upstream (Kong's `headers_upstream`). */
  readonly upstreamRequestId: string | null;
}

type Slot = Exclude<keyof HeaderProfile, 'server' | 'via' | 'upstreamRequestId'>;

/** Each header name a GATEHOUSE_HEADERS entry may give, and the slot it fills. */
const NAMED: Readonly<Record<string, Slot>> = {
  'x-kong-proxy-latency': 'proxyLatency',
  'x-kong-upstream-latency': 'upstreamLatency',
  'x-kong-response-latency': 'responseLatency',
  'x-kong-upstream-status': 'upstreamStatus',
  'x-kong-request-id': 'requestId',
  'x-gatehouse-proxy-latency': 'proxyLatency',
  'x-gatehouse-upstream-latency': 'upstreamLatency',
  'x-gatehouse-response-latency': 'responseLatency',
  'x-gatehouse-upstream-status': 'upstreamStatus',
  'x-gatehouse-request-id': 'requestId',
};

/** Entries that stand for several: Kong's two groups, and the same group under Gatehouse's names. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  server_tokens: ['server', 'via'],
  latency_tokens: ['x-kong-proxy-latency', 'x-kong-response-latency', 'x-kong-upstream-latency'],
  gatehouse_latency_tokens: ['x-gatehouse-proxy-latency', 'x-gatehouse-response-latency', 'x-gatehouse-upstream-latency'],
};

/** GATEHOUSE_HEADERS when unset: Kong's default set under Gatehouse's names. */
export const DEFAULT_HEADERS = 'server_tokens, gatehouse_latency_tokens, X-Gatehouse-Request-Id';
/** GATEHOUSE_HEADERS_UPSTREAM when unset. */
export const DEFAULT_HEADERS_UPSTREAM = 'X-Gatehouse-Request-Id';

const UPSTREAM_NAMES: ReadonlySet<string> = new Set(['x-gatehouse-request-id', 'x-kong-request-id']);

/** A comma-separated list as kong.conf reads one: entries trimmed, empty ones dropped. */
function entries(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/**
 * Reads a GATEHOUSE_HEADERS value: Kong's `headers` entries (`server_tokens`,
 * `latency_tokens`, `Server`, `Via`, `X-Kong-*`, and `off` first to send
 * none), plus Gatehouse's names (`X-Gatehouse-*`, `gatehouse_latency_tokens`).
 * Case does not matter. `X-Kong-Admin-Latency` is accepted and sends nothing
 * (a data plane has no admin API). Throws an Error naming the entry that is
 * unknown, or the two entries that name the same header twice.
 */
function downstream(value: string): Omit<HeaderProfile, 'upstreamRequestId'> {
  const profile = { server: false, via: false, proxyLatency: null, upstreamLatency: null, responseLatency: null, upstreamStatus: null, requestId: null } as {
    -readonly [K in keyof HeaderProfile]: HeaderProfile[K];
  };
  const list = entries(value);
  const givenBy: Partial<Record<Slot, string>> = {};
  for (const raw of list) {
    const entry = raw.toLowerCase();
    if (entry === 'off' || entry === 'x-kong-admin-latency') continue;
    if (entry !== 'server' && entry !== 'via' && GROUPS[entry] === undefined && NAMED[entry] === undefined) throw new Error(`invalid entry '${raw}'`);
  }
  if (list.length === 0 || list[0]?.toLowerCase() === 'off') return profile;
  for (const raw of list) {
    const entry = raw.toLowerCase();
    for (const name of GROUPS[entry] ?? [entry]) {
      if (name === 'server' || name === 'via') {
        profile[name] = true;
        continue;
      }
      const slot = NAMED[name];
      if (slot === undefined) continue;
      const other = givenBy[slot];
      if (other !== undefined && profile[slot] !== name) throw new Error(`'${other}' and '${raw}' name the same header; give one`);
      givenBy[slot] = raw;
      profile[slot] = name;
    }
  }
  return profile;
}

/** Reads a GATEHOUSE_HEADERS_UPSTREAM value (Kong's `headers_upstream`): the request id header's name, or `off`. */
function upstream(value: string): string | null {
  const list = entries(value);
  for (const raw of list) if (raw.toLowerCase() !== 'off' && !UPSTREAM_NAMES.has(raw.toLowerCase())) throw new Error(`invalid entry '${raw}'`);
  if (list.length === 0 || list[0]?.toLowerCase() === 'off') return null;
  const names = new Set(list.map((e) => e.toLowerCase()).filter((e) => e !== 'off'));
  if (names.size > 1) throw new Error('give one request id header');
  return [...names][0] ?? null;
}

/** The reason a GATEHOUSE_HEADERS value is refused, or null when it is valid. */
export function headersProblem(value: string): string | null {
  try {
    downstream(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The reason a GATEHOUSE_HEADERS_UPSTREAM value is refused, or null when it is valid. */
export function headersUpstreamProblem(value: string): string | null {
  try {
    upstream(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The profile of two valid setting values (see `headersProblem`); throws on an invalid one. */
export function headerProfile(headers: string = DEFAULT_HEADERS, headersUpstream: string = DEFAULT_HEADERS_UPSTREAM): HeaderProfile {
  return { ...downstream(headers), upstreamRequestId: upstream(headersUpstream) };
}

/** What a DP sends when nothing is configured. */
export const DEFAULT_HEADER_PROFILE: HeaderProfile = headerProfile();
