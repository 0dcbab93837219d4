/** One target of an upstream as the balancer sees it: an entry with a weight (0: out of rotation). */
export interface BalancerEntry {
  /** `host:port` as stored (IPv6 in brackets). */
  readonly target: string;
  /** The host without brackets, what a connection is opened to. */
  readonly host: string;
  readonly port: number;
  readonly weight: number;
  /** For an address a hostname target resolved to (dns-targets.ts): the hostname, the Host sent upstream. */
  readonly hostname?: string;
}

/**
 * A load-balancing algorithm over a fixed list of entries (one upstream's
 * targets). `pick` answers an entry's index, or -1 when no entry can be used;
 * `exclude` is an index a retry must avoid when another entry exists, or -1;
 * `down`, when given, marks entries health checks took out of rotation
 * (`down[i] === 1`, health/): they are skipped as if of weight 0.
 * `started` and `finished` bracket each request sent to an entry (least
 * connections counts them; latency learns from `ms`, the time to the
 * response head, null when none came).
 */
export interface Algorithm {
  pick(hashKey: string, exclude: number, down?: Uint8Array | null): number;
  started(index: number): void;
  finished(index: number, ms: number | null): void;
}
