import { Resolver } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import net from 'node:net';

/** One address an SRV record led to: the record's port, weight and target name. */
export interface SrvAddress {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  /** The SRV record's target name (the Host with `use_srv_name`). */
  readonly name: string;
}

/**
 * One answer for a hostname: its A and AAAA addresses, or (`srv`) the
 * addresses its SRV records of the best priority lead to; and the shortest
 * TTL among the address records, in seconds.
 */
export interface DnsAnswer {
  readonly addresses: readonly string[];
  readonly ttl: number;
  /** Set when the name has SRV records (then `addresses` lists their addresses too). */
  readonly srv?: readonly SrvAddress[];
}

/** How long a query may take before it counts as a failure. */
const QUERY_TIMEOUT_MS = 2000;
/** Kong's `dns_hostsfile`: read before asking DNS. */
const HOSTS_FILE = '/etc/hosts';
/** A name the hosts file answers is looked at again this often (seconds), so an edit of the file is picked up. */
const HOSTS_TTL = 10;

/** The addresses the hosts file gives `name` (IPv4 first), or none. */
export function hostsFileAddresses(text: string, name: string): string[] {
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const [address, ...names] = (line.split('#')[0] ?? '').trim().split(/\s+/);
    if (address === undefined || net.isIP(address) === 0) continue;
    if (names.some((n) => n.toLowerCase() === wanted) && !found.includes(address)) found.push(address);
  }
  return found.sort((a, b) => net.isIP(a) - net.isIP(b));
}

/**
 * Parses Kong's `dns_resolver` list as GATEHOUSE_DNS_RESOLVER takes it:
 * `host[:port],…` (IPv6 in brackets when a port is given). Answers the
 * servers as node:dns `setServers` takes them, or throws an Error naming the
 * bad entry.
 */
export function parseDnsServers(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(item);
    const plain = /^([^:]+)(?::(\d{1,5}))?$/.exec(item);
    const host = bracketed?.[1] ?? plain?.[1] ?? (net.isIPv6(item) ? item : null);
    const port = bracketed?.[2] ?? plain?.[2];
    if (host === null || net.isIP(host) === 0) throw new Error(`"${item}" is not an IP address with an optional port`);
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new Error(`"${item}" has a port outside 1-65535`);
    out.push(port === undefined ? host : net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);
  }
  if (out.length === 0) throw new Error('names no server');
  return out;
}

function noData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENODATA' || code === 'ENOTFOUND';
}

/**
 * Resolves hostname targets as Kong: the hosts file first, then DNS with
 * node:dns (c-ares, not the system's getaddrinfo), A and AAAA together,
 * keeping the records' TTLs; the servers are GATEHOUSE_DNS_RESOLVER's when
 * set, else the system's (resolv.conf).
 */
export class DnsResolver {
  private readonly resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: 2 });

  constructor(
    servers: readonly string[] | null = null,
    private readonly hostsFile = HOSTS_FILE,
  ) {
    if (servers !== null) this.resolver.setServers([...servers]);
  }

  /**
   * The name's addresses and the shortest TTL of the records, in Kong's
   * order: the hosts file, then SRV records (each of the best priority
   * resolved to its addresses), then A and AAAA (IPv4 first). Rejects when
   * nothing answered an address (a name that does not exist, a server that
   * does not answer).
   */
  async resolve(name: string): Promise<DnsAnswer> {
    const hosts = await readFile(this.hostsFile, 'utf8').catch(() => '');
    const fromFile = hostsFileAddresses(hosts, name);
    if (fromFile.length > 0) return { addresses: fromFile, ttl: HOSTS_TTL };
    return (await this.resolveSrv(name, hosts)) ?? this.resolveAddresses(name);
  }

  /**
   * Kong's SRV handling: only the records of the lowest priority value; each
   * record's target resolved (hosts file, A, AAAA) to addresses that carry
   * the record's port and weight (a weight of 0 counts as 1, as Kong's
   * balancer). Null when the name has no usable SRV record, so A and AAAA
   * are asked next; a target that does not resolve is left out, and when
   * none does the answer is refused.
   */
  private async resolveSrv(name: string, hosts: string): Promise<DnsAnswer | null> {
    const records = await this.resolver.resolveSrv(name).catch(() => []);
    const usable = records.filter((r) => r.name !== '' && r.name !== '.');
    if (usable.length === 0) return null;
    const best = Math.min(...usable.map((r) => r.priority));
    const chosen = usable.filter((r) => r.priority === best);
    const answers = await Promise.allSettled(
      chosen.map(async (r) => {
        const fromFile = net.isIP(r.name) !== 0 ? [r.name] : hostsFileAddresses(hosts, r.name);
        const a = fromFile.length > 0 ? { addresses: fromFile, ttl: HOSTS_TTL } : await this.resolveAddresses(r.name);
        return { ttl: a.ttl, srv: a.addresses.map((address) => ({ address, port: r.port, weight: r.weight === 0 ? 1 : r.weight, name: r.name })) };
      }),
    );
    const ok = answers.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
    if (ok.length === 0) throw new Error(`${name}: no SRV target resolved`);
    const srv = ok.flatMap((x) => x.srv);
    return { addresses: [...new Set(srv.map((x) => x.address))], ttl: Math.min(...ok.map((x) => x.ttl)), srv };
  }

  private async resolveAddresses(name: string): Promise<DnsAnswer> {
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(name, { ttl: true }), this.resolver.resolve6(name, { ttl: true })]);
    const records = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (records.length === 0) {
      const reasons = [v4, v6].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      const real = reasons.find((r) => !noData(r)) ?? reasons[0];
      throw real instanceof Error ? real : new Error(`${name}: no A or AAAA record`);
    }
    const addresses = [...new Set(records.map((r) => r.address))];
    return { addresses, ttl: Math.min(...records.map((r) => r.ttl)) };
  }

  cancel(): void {
    this.resolver.cancel();
  }
}
