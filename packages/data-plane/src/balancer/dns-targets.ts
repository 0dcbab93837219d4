import { DnsResolver, parseDnsServers, type DnsAnswer, type SrvAddress } from './dns-resolver';

/** After a failed query, the next one comes this soon (Kong's `dns_error_ttl` default, 1 s). */
const ERROR_RETRY_MS = 1000;
/** A TTL of 0 is re-resolved after this long, so a name is never queried in a loop. */
const MIN_TTL_MS = 1000;

interface Watch {
  /** The last good answer; undefined until one came. */
  answer: DnsAnswer | undefined;
  readonly listeners: Set<() => void>;
  timer: NodeJS.Timeout | null;
  querying: boolean;
}

/**
 * The hostnames of the serving config's targets, each resolved in the
 * background: at first watch, then again when its answer's TTL expires, never
 * on a request's path. A failed query keeps the last good answer (retried
 * after a second); a changed set of addresses is announced to the name's
 * listeners (the balancers, which rebuild their entries). A name nobody
 * watches any more is forgotten.
 */
export class DnsTargets {
  private readonly watches = new Map<string, Watch>();

  constructor(private resolver: DnsResolver = new DnsResolver()) {}

  /** Replaces the servers asked (GATEHOUSE_DNS_RESOLVER); null: the system's. */
  useServers(servers: readonly string[] | null): void {
    this.resolver.cancel();
    this.resolver = new DnsResolver(servers);
  }

  /** The name's current addresses, or undefined while it never resolved. */
  addresses(name: string): readonly string[] | undefined {
    return this.watches.get(name.toLowerCase())?.answer?.addresses;
  }

  /** The addresses the name's SRV records lead to (with their ports and weights), or undefined when its answer has none. */
  srv(name: string): readonly SrvAddress[] | undefined {
    return this.watches.get(name.toLowerCase())?.answer?.srv;
  }

  /** Resolves `name` in the background from now on and calls `onChange` when its addresses change; answers the unsubscribe. */
  watch(name: string, onChange: () => void): () => void {
    const key = name.toLowerCase();
    let w = this.watches.get(key);
    if (w === undefined) {
      w = { answer: undefined, listeners: new Set(), timer: null, querying: false };
      this.watches.set(key, w);
      void this.query(key, w);
    }
    const watch = w;
    watch.listeners.add(onChange);
    return () => {
      watch.listeners.delete(onChange);
      if (watch.listeners.size > 0) return;
      if (watch.timer !== null) clearTimeout(watch.timer);
      if (this.watches.get(key) === watch) this.watches.delete(key);
    };
  }

  private async query(name: string, w: Watch): Promise<void> {
    if (w.querying) return;
    w.querying = true;
    let nextMs = ERROR_RETRY_MS;
    try {
      const answer = await this.resolver.resolve(name);
      nextMs = Math.max(MIN_TTL_MS, answer.ttl * 1000);
      const before = w.answer === undefined ? undefined : answerKey(w.answer);
      if (before !== answerKey(answer)) {
        w.answer = answer;
        for (const fn of [...w.listeners]) fn();
      }
    } catch {
      // Kong keeps serving the last good answer while the name cannot be resolved.
    } finally {
      w.querying = false;
    }
    if (this.watches.get(name) !== w) return;
    w.timer = setTimeout(() => void this.query(name, w), nextMs);
    w.timer.unref();
  }
}

/** What makes two answers the same for the balancer: the addresses, and each SRV address's port, weight and name (order aside). */
function answerKey(a: DnsAnswer): string {
  const srv = (a.srv ?? []).map((x) => `${x.address}|${x.port}|${x.weight}|${x.name}`).sort();
  return `${[...a.addresses].sort().join(',')};${srv.join(',')}`;
}

let shared: DnsTargets | null = null;

/** This process's DnsTargets, asking GATEHOUSE_DNS_RESOLVER's servers when the environment sets it. */
export function dnsTargets(): DnsTargets {
  if (shared === null) {
    const setting = process.env.GATEHOUSE_DNS_RESOLVER;
    shared = new DnsTargets(new DnsResolver(setting ? parseDnsServers(setting) : null));
  }
  return shared;
}
