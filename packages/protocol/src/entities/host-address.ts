/**
 * Host and port parsing for upstream names and targets, in the spirit of
 * Kong's `normalize_ip`: an IPv4 address, an IPv6 address (in brackets when a
 * port follows), or a hostname, each with an optional port.
 */

/** A parsed `host[:port]`: its kind, the host without brackets, and the port if one was given. */
export interface HostAddress {
  type: 'ipv4' | 'ipv6' | 'name';
  host: string;
  port: number | null;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;
const PORT = /^\d{1,5}$/;

function isIpv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m?.slice(1).every((o) => Number(o) <= 255) ?? false;
}

/** A plain IPv6 literal (no brackets, no zone): up to eight hex groups, one `::`, an optional IPv4 tail. */
export function isIpv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return false;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 address counts as two groups.
    if (!isIpv4(tail)) return false;
    body = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const parts = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (parts.some((p) => !/^[0-9A-Fa-f]{1,4}$/.test(p))) return false;
  const count = parts.length;
  return halves.length === 2 ? count < 8 : count === 8;
}

function parsePort(s: string): number | null | undefined {
  if (!PORT.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Parses `host[:port]`; null when it is neither an address nor a hostname, or the port is bad. */
export function parseHostAddress(input: string): HostAddress | null {
  const s = input.trim();
  if (s === '' || s.length > 255) return null;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    const host = s.slice(1, close);
    if (!isIpv6(host)) return null;
    const rest = s.slice(close + 1);
    if (rest === '') return { type: 'ipv6', host: host.toLowerCase(), port: null };
    if (!rest.startsWith(':')) return null;
    const port = parsePort(rest.slice(1));
    return port === undefined ? null : { type: 'ipv6', host: host.toLowerCase(), port };
  }
  if (isIpv6(s)) return { type: 'ipv6', host: s.toLowerCase(), port: null };
  const colon = s.lastIndexOf(':');
  const host = colon < 0 ? s : s.slice(0, colon);
  let port: number | null = null;
  if (colon >= 0) {
    const p = parsePort(s.slice(colon + 1));
    if (p === undefined || p === null) return null;
    port = p;
  }
  if (isIpv4(host)) return { type: 'ipv4', host, port };
  if (IPV4.test(host) || !NAME.test(host) || host.length > 253) return null;
  return { type: 'name', host, port };
}

/** `host:port` with an IPv6 host in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
