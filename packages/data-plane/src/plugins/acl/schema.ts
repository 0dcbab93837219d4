import { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER, optionalList } from '../typedefs';

const group = z.string().min(1, 'length must be at least 1');

const config = z
  .object({
    allow: optionalList(group),
    deny: optionalList(group),
    hide_groups_header: z.boolean().default(false),
    always_use_authenticated_groups: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    const hasAllow = c.allow !== null && c.allow.length > 0;
    const hasDeny = c.deny !== null && c.deny.length > 0;
    if (!hasAllow && !hasDeny)
      ctx.addIssue({ code: 'custom', path: ['allow'], message: "at least one of these fields must be non-empty: 'config.allow', 'config.deny'" });
    if (hasAllow && hasDeny)
      ctx.addIssue({ code: 'custom', path: ['deny'], message: "only one of these fields must be non-empty: 'config.allow', 'config.deny'" });
  });

/** acl: allow or deny groups (Kong's fields); it cannot be scoped to a consumer. */
export const aclSchema = { name: 'acl', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type AclConfig = z.output<typeof config>;
