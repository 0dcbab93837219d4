import { cidrContains, parseCidr, parseIp, type Cidr } from '../ip-address';
import type { PluginHandler } from '../types';
import type { IpRestrictionConfig } from './schema';

interface Prepared {
  allow: Cidr[] | null;
  deny: Cidr[] | null;
  status: number;
  message: string;
}

function compile(list: string[] | null): Cidr[] | null {
  if (list === null || list.length === 0) return null;
  return list.map((s) => {
    const cidr = parseCidr(s);
    // The schema let only addresses and CIDR blocks through.
    if (cidr === null) throw new Error(`ip-restriction: "${s}" is not an IP address or CIDR block`);
    return cidr;
  });
}

const inAny = (blocks: readonly Cidr[], ip: Uint8Array): boolean => blocks.some((b) => cidrContains(b, ip));

/**
 * ip-restriction (priority 990): deny wins over allow; with an allow list,
 * any address outside it is refused (Kong's 403 `Your IP address is not allowed`).
 */
export const ipRestrictionHandler: PluginHandler<IpRestrictionConfig, Prepared> = {
  name: 'ip-restriction',
  priority: 990,
  prepare(conf) {
    return { allow: compile(conf.allow), deny: compile(conf.deny), status: conf.status ?? 403, message: conf.message ?? 'Your IP address is not allowed' };
  },
  access(ctx, p) {
    const ip = parseIp(ctx.clientIp);
    if (ip === null) {
      ctx.error(403, 'Cannot identify the client IP address, unix domain sockets are not supported.');
      return;
    }
    if ((p.deny !== null && inAny(p.deny, ip)) || (p.allow !== null && !inAny(p.allow, ip))) ctx.error(p.status, p.message);
  },
};
