import { z } from 'zod';

/** Shared field types, built once and reused by every entity schema (Kong's typedefs). */

export const uuid = z.uuid();

/** Kong's name rule for gateway services, plugins instances and routes: no spaces. */
export const NAME_PATTERN = /^[A-Za-z0-9._~:-]+$/;

export const entityName = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'length must be at most 128')
  .regex(NAME_PATTERN, 'must only contain alphanumeric and ., -, _, ~, : characters');

export const tag = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'length must be at most 128')
  .regex(/^[\x21-\x7E]+$/, 'must only contain printable ascii (except spaces)');

export const tags = z.array(tag).max(1000).default([]);

export const port = z.number().int('must be an integer').min(0).max(65535);

export const timeout = z.number().int('must be an integer').min(1).max(2147483646);

export const hostname = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'length must be at most 253')
  .regex(/^[A-Za-z0-9.\-_[\]:]+$/, 'invalid hostname');

export const serviceProtocol = z.enum(['http', 'https', 'ws', 'wss', 'grpc', 'grpcs', 'tcp', 'tls', 'tls_passthrough', 'udp']);
export type ServiceProtocol = z.infer<typeof serviceProtocol>;

/** Kong's route protocols (and Kong Enterprise's ws/wss); `udp` is in the list but refused by the route schema (no UDP proxy). */
export const routeProtocol = z.enum(['http', 'https', 'ws', 'wss', 'grpc', 'grpcs', 'tcp', 'tls', 'tls_passthrough', 'udp']);
export type RouteProtocol = z.infer<typeof routeProtocol>;

export const httpMethod = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z]+$/, 'invalid method')
  .transform((m) => m.toUpperCase());

/** A reference to another entity in a request body, as in Kong: `{id}` or `{name}`. */
export const entityRef = z
  .object({ id: z.string().min(1).max(256).optional(), name: z.string().min(1).max(256).optional() })
  .strict()
  .refine((r) => r.id !== undefined || r.name !== undefined, 'must have id or name');
export type EntityRef = z.infer<typeof entityRef>;

/** Timestamps are whole seconds since the epoch, as in Kong's Admin API. */
export const timestamp = z.number().int();

/** A stored Date as an API timestamp (whole seconds, truncated). */
export function toTimestamp(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}
