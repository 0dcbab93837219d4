import { z } from 'zod';
import { tags, timestamp, uuid } from '../primitives';
import { formatHostPort, parseHostAddress } from './host-address';

/** The port a target gets when none is written (Kong's targets DAO). */
export const DEFAULT_TARGET_PORT = 8000;

/**
 * A target address as Kong stores it: `host:port`, the port defaulting to
 * 8000, an IPv6 address in brackets. Anything that is not a hostname or an
 * address is Kong's message.
 */
export const targetAddress = z.string().transform((value, ctx) => {
  const p = parseHostAddress(value);
  if (p === null) {
    ctx.addIssue({ code: 'custom', message: `Invalid target ('${value}'); not a valid hostname or ip address` });
    return z.NEVER;
  }
  return formatHostPort(p.host, p.port ?? DEFAULT_TARGET_PORT);
});

const targetFields = z
  .object({
    target: targetAddress,
    weight: z.number().int('must be an integer').min(0, 'value should be between 0 and 65535').max(65535, 'value should be between 0 and 65535').default(100),
    tags,
  })
  .strict();

/** A target as written by a client, under `/upstreams/{u}/targets`. */
export const targetInput = targetFields;
export type TargetInput = z.input<typeof targetFields>;
export type TargetFields = z.output<typeof targetFields>;

/** A target as stored, answered by the API and shipped to data planes. */
export const target = z.object({
  id: uuid,
  upstream: z.object({ id: uuid }),
  target: z.string(),
  weight: z.number().int(),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Target = z.infer<typeof target>;

/** Splits a stored `host:port` target back into its host (brackets removed) and port. */
export function splitTarget(value: string): { host: string; port: number } {
  const p = parseHostAddress(value);
  return p === null ? { host: value, port: DEFAULT_TARGET_PORT } : { host: p.host, port: p.port ?? DEFAULT_TARGET_PORT };
}
