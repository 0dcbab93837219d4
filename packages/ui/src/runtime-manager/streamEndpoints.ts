/** One of a stream route's `sources` or `destinations` as stored: an IP or CIDR block, a port, or both. */
export interface StreamEndpoint {
  ip: string | null;
  port: number | null;
}

/** `10.0.0.0/8:5432`, `10.0.0.1`, `*:5432` (any address), an IPv6 address in brackets when a port follows. */
export function endpointText(e: StreamEndpoint): string {
  const ip = e.ip ?? '*';
  if (e.port === null) return ip;
  return `${ip.includes(':') ? `[${ip}]` : ip}:${e.port}`;
}

/** A route's sources and destinations in one line (`from … to …`), or null when it has neither. */
export function streamMatchText(sources: readonly StreamEndpoint[], destinations: readonly StreamEndpoint[]): string | null {
  const parts: string[] = [];
  if (sources.length > 0) parts.push(`from ${sources.map(endpointText).join(', ')}`);
  if (destinations.length > 0) parts.push(`to ${destinations.map(endpointText).join(', ')}`);
  return parts.length === 0 ? null : parts.join(' ');
}
