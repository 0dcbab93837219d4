import { z } from 'zod';
import { uuid, timestamp } from '../primitives';
import { service, serviceInput } from './service';
import { route, routeInput } from './route';

/**
 * Service Hub names: letters, digits, spaces and `. - _ ~ :`. Spaces count as
 * `-` when names are compared, so `Example Service` and `Example-Service` clash.
 */
export const hubServiceName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'length must be at most 100')
  .regex(/^[A-Za-z0-9 ._~:-]+$/, 'must only contain letters, digits, spaces and ., -, _, ~, : characters');

/** The key two Service Hub names are compared by. */
export function hubNameKey(name: string): string {
  return name.trim().replace(/ /g, '-').toLowerCase();
}

export const hubServiceInput = z
  .object({
    name: hubServiceName,
    display_name: z.string().max(200).nullable().optional(),
    description: z.string().max(10000).nullable().optional(),
  })
  .strict();
export type HubServiceInput = z.infer<typeof hubServiceInput>;

export const hubService = z.object({
  id: uuid,
  name: z.string(),
  display_name: z.string().nullable(),
  description: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type HubService = z.infer<typeof hubService>;

export const hubVersionInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'length must be at most 100')
      .regex(/^[A-Za-z0-9 ._~:-]+$/, 'must only contain letters, digits, spaces and ., -, _, ~, : characters'),
    runtime_group_id: uuid,
  })
  .strict();
export type HubVersionInput = z.infer<typeof hubVersionInput>;

export const hubVersion = z.object({
  id: uuid,
  service: z.object({ id: uuid }),
  name: z.string(),
  runtime_group_id: uuid,
  gateway_service: z.object({ id: uuid }).nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type HubVersion = z.infer<typeof hubVersion>;

/**
 * An implementation request: a new gateway service (by `url` or by parts) or
 * an existing one that serves no version yet (`{id}`), plus its first route.
 */
const existingServiceRef = z.object({ id: uuid }).strict();

/** `{id}` links an existing gateway service; anything else describes a new one. */
const implementationService = z.unknown().transform((value, ctx) => {
  const isRef = typeof value === 'object' && value !== null && 'id' in value;
  const parsed = isRef ? existingServiceRef.safeParse(value) : serviceInput.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return parsed.data;
});

export const implementationInput = z
  .object({
    service: implementationService,
    route: routeInput.optional(),
  })
  .strict();
export type ImplementationInput = z.input<typeof implementationInput>;

/**
 * A version's implementation as `…/versions/{vid}/implementation` answers it:
 * the version, its runtime group, the implementing gateway service (tagged
 * `_KonnectService:<service name>`), and every route on that service, oldest first.
 */
export const hubImplementation = z.object({
  version_id: uuid,
  runtime_group_id: uuid,
  service,
  routes: z.array(route),
});
export type HubImplementation = z.infer<typeof hubImplementation>;
