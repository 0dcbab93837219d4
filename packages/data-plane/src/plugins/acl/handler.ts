import type { ConsumerIndex } from '../consumers';
import type { PluginHandler } from '../types';
import type { AclConfig } from './schema';

interface Prepared {
  /** The configured groups, and whether they allow (else deny) access. */
  groups: ReadonlySet<string>;
  allow: boolean;
  hideHeader: boolean;
  consumers: ConsumerIndex;
}

const DENIED = 'You cannot consume this service';

/**
 * acl (priority 950): lets a consumer through by its ACL groups. Needs an
 * authentication plugin before it: with no consumer the answer is 401, with
 * a credential but no consumer 403, as in Kong.
 */
export const aclHandler: PluginHandler<AclConfig, Prepared> = {
  name: 'acl',
  priority: 950,
  prepare(conf, env) {
    const allow = conf.allow !== null && conf.allow.length > 0;
    return { groups: new Set(allow ? conf.allow : (conf.deny ?? [])), allow, hideHeader: conf.hide_groups_header, consumers: env.consumers };
  },
  access(ctx, p) {
    const consumerId = ctx.consumer?.id ?? ctx.credential?.consumerId;
    if (consumerId === undefined) {
      if (ctx.credential !== null) ctx.error(403, DENIED);
      else ctx.error(401);
      return;
    }
    const groups = p.consumers.groupsOf(consumerId);
    let member = false;
    for (const g of groups) {
      if (p.groups.has(g)) {
        member = true;
        break;
      }
    }
    if (member !== p.allow) {
      ctx.error(403, DENIED);
      return;
    }
    if (!p.hideHeader && groups.length > 0) ctx.upstreamHeaders['x-consumer-groups'] = groups.join(', ');
  },
};
