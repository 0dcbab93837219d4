/** A route's host condition, compiled. */
export interface HostPattern {
  kind: 'plain' | 'suffix' | 'prefix';
  /** plain: the host; suffix (`*.a.com`): `.a.com`; prefix (`a.*`): `a.`. Lower case. */
  value: string;
  /** A port the request must name, or null for any port. */
  port: number | null;
}

/** Compiles one `hosts` entry: `example.com`, `*.example.com`, `example.*`, each optionally `:port`. */
export function compileHost(raw: string): HostPattern {
  let host = raw.toLowerCase();
  let port: number | null = null;
  const [, name, digits] = /^(.*):(\d+)$/.exec(host) ?? [];
  if (name !== undefined && digits !== undefined) {
    host = name;
    port = Number(digits);
  }
  if (host.startsWith('*')) return { kind: 'suffix', value: host.slice(1), port };
  if (host.endsWith('*')) return { kind: 'prefix', value: host.slice(0, -1), port };
  return { kind: 'plain', value: host, port };
}

/** True when the request host/port satisfies the pattern (a wildcard stands for at least one character). */
export function hostMatches(p: HostPattern, host: string, port: number): boolean {
  if (p.port !== null && p.port !== port) return false;
  switch (p.kind) {
    case 'plain':
      return host === p.value;
    case 'suffix':
      return host.length > p.value.length && host.endsWith(p.value);
    case 'prefix':
      return host.length > p.value.length && host.startsWith(p.value);
  }
}

/**
 * Parses a Host header into lower-case host and port; without a port the
 * scheme's default is assumed, as Kong's router does. IPv6 literals keep no brackets.
 */
export function parseHostHeader(raw: string | undefined, defaultPort: number): ParsedHost {
  // Most traffic repeats one Host: the last answer is kept (it is never mutated by callers).
  if (raw === last.raw && defaultPort === last.defaultPort) return last.parsed;
  const parsed = parseHost(raw, defaultPort);
  last = { raw, defaultPort, parsed };
  return parsed;
}

/** A Host header's lower-case host and port. */
export interface ParsedHost {
  readonly host: string;
  readonly port: number;
}

let last: { raw: string | undefined; defaultPort: number; parsed: ParsedHost } = { raw: '', defaultPort: 0, parsed: { host: '', port: 0 } };

function parseHost(raw: string | undefined, defaultPort: number): ParsedHost {
  if (!raw) return { host: '', port: defaultPort };
  if (raw.charCodeAt(0) === 91 /* [ */) {
    const end = raw.indexOf(']');
    if (end < 0) return { host: raw.toLowerCase(), port: defaultPort };
    const rest = raw.slice(end + 1);
    const port = rest.startsWith(':') && /^\d+$/.test(rest.slice(1)) ? Number(rest.slice(1)) : defaultPort;
    return { host: raw.slice(1, end).toLowerCase(), port };
  }
  const colon = raw.indexOf(':');
  if (colon < 0) return { host: raw.toLowerCase(), port: defaultPort };
  const portText = raw.slice(colon + 1);
  if (portText === '' || !/^\d+$/.test(portText)) return { host: raw.slice(0, colon).toLowerCase(), port: defaultPort };
  return { host: raw.slice(0, colon).toLowerCase(), port: Number(portText) };
}
