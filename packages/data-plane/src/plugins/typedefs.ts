import { z } from 'zod';
import { parseCidr } from './ip-address';

/**
 * Field types shared by plugin schemas (Kong's `kong.db.schema.typedefs`).
 * Only zod and plain TypeScript here: schema files must stay importable by
 * the CP, the CLI and the UI (browser) without any handler code.
 */

/** An HTTP header name (an RFC 7230 token). */
export const headerName = z
  .string()
  .min(1, 'must not be empty')
  .max(256)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "bad header name, allowed characters are A-Z, a-z, 0-9, and !#$%&'*+.^_`|~-");

/** An optional string that Kong stores as null when unset. */
export const optionalString = z.string().min(1, 'length must be at least 1').nullable().default(null);

/** A list of strings, null when unset. */
export function optionalList<T extends z.ZodType>(item: T) {
  return z.array(item).nullable().default(null);
}

/** A list of strings defaulting to empty (Kong's transformer fields). */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).default([]);
}

/** Kong's `colon_strings` items: `name:value`. */
export const colonPair = z.string().regex(/^[^:]+:.*$/s, 'invalid value: expected the form name:value');

/** An IP address or CIDR block, IPv4 or IPv6 (Kong's `ip_or_cidr`). */
export const ipOrCidr = z.string().refine((v) => parseCidr(v) !== null, 'invalid ip or cidr range');

/** An HTTP method, upper-case. */
export const httpMethodName = z.string().regex(/^[A-Z]+$/, 'invalid value: must be an upper-case HTTP method');

/** Where a plugin may be attached when Kong puts no restriction on it. */
export const ANY_SCOPE = { consumer: true, route: true, service: true } as const;

/** Kong's `no_consumer`: authentication plugins and those that run before authentication. */
export const NO_CONSUMER = { consumer: false, route: true, service: true } as const;
