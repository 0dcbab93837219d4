import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, ipOrCidr, optionalList } from '../typedefs';

const config = z
  .object({
    allow: optionalList(ipOrCidr),
    deny: optionalList(ipOrCidr),
    status: z.number().int().min(100).max(599).nullable().default(null),
    message: z.string().nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.allow === null || c.allow.length === 0) && (c.deny === null || c.deny.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['allow'], message: "at least one of these fields must be non-empty: 'config.allow', 'config.deny'" });
    }
  });

/** ip-restriction: allow/deny lists of addresses and CIDR blocks (IPv4 and IPv6). */
export const ipRestrictionSchema = { name: 'ip-restriction', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type IpRestrictionConfig = z.output<typeof config>;
