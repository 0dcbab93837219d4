import type { UpstreamFailure } from '../upstream/failure';
import type { HealthEvent } from './counters';

/**
 * What a failed proxied try counts as for passive health checks (Kong's
 * balancer reports a try that timed out as a timeout and any other failed
 * connection as a TCP failure); failures that say nothing about the target
 * (no peer, a request undici refused to write, DNS) count as nothing.
 */
export function failureEvent(failure: UpstreamFailure): HealthEvent | null {
  switch (failure) {
    case 'connect_timeout':
    case 'read_timeout':
    case 'write_timeout':
      return 'timeout';
    // A failed TLS handshake is a failed connection to Kong's balancer too.
    case 'refused':
    case 'reset':
    case 'tls':
      return 'tcp_failure';
    default:
      return null;
  }
}
