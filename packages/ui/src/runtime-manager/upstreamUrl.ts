import type { Service } from '@gatehouse/protocol';

/** The URL a gateway service forwards to, assembled as Kong prints it. */
export function upstreamUrl(s: Service): string {
  return `${s.protocol}://${s.host}:${s.port}${s.path ?? ''}`;
}
