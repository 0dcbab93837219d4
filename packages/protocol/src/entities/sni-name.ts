import { z } from 'zod';
import { parseHostAddress } from './host-address';

/**
 * Kong's `wildcard_host` (an SNI name): a hostname, or one with a single
 * wildcard as its whole leftmost (`*.example.com`) or rightmost
 * (`example.*`) label. Never an address, never with a port.
 */
export function sniNameProblem(name: string): string | null {
  const stars = name.split('*').length - 1;
  let host = name;
  if (stars > 0) {
    // Kong looks at the first star only (a second one is the next message).
    const first = name.indexOf('*');
    if (first > 0 && first < name.length - 1) return 'wildcard must be leftmost or rightmost character';
    if (stars > 1) return 'only one wildcard must be specified';
    // Kong's routes say so for a star that is only part of a label; an SNI wildcard is a whole label too.
    if (!name.startsWith('*.') && !name.endsWith('.*')) return 'invalid wildcard: must be placed at leftmost or rightmost label';
    host = name.replace('*', 'wildcard');
  }
  const p = parseHostAddress(host);
  if (p === null) {
    // Kong reports a name with a bad port as having a port.
    const m = /^([^:]*):\d+$/.exec(host);
    return m?.[1] !== undefined && parseHostAddress(m[1]) !== null ? 'must not have a port' : `invalid value: ${host}`;
  }
  if (p.type !== 'name') return 'must not be an IP';
  if (p.port !== null) return 'must not have a port';
  return null;
}

/** An SNI name (Kong's `wildcard_host`), stored as written (as Kong does; TLS names compare without case). */
export const sniName = z
  .string()
  .min(1, 'length must be at least 1')
  .max(253, 'length must be at most 253')
  .superRefine((name, ctx) => {
    const problem = sniNameProblem(name);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
