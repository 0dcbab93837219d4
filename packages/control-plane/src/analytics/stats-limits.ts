import type { StatsBucket } from '@gatehouse/protocol';

/**
 * What the CP believes of a data plane's stats (docs/SECURITY.md, Stats a DP
 * reports). A DP holds a certificate of its group, so it can only claim
 * traffic for that group; these bounds keep one node from claiming traffic
 * it cannot have served.
 */
export interface StatsLimits {
  /** Requests one node may report for one minute, summed over all its batches. */
  maxRequestsPerNodeMinute: number;
  /** How old a bucket may be: the minute retention (older rows would be pruned anyway). */
  maxAgeMs: number;
  /** How far ahead of the CP's clock a bucket may be dated (clock skew). */
  maxAheadMs: number;
}

/** Clock skew tolerated between a DP and the CP: a bucket dated later than this is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The limits from the CP's settings. */
export function statsLimits(settings: { GATEHOUSE_STATS_MAX_NODE_RPS: number; GATEHOUSE_ANALYTICS_MINUTE_RETENTION_DAYS: number }): StatsLimits {
  return {
    maxRequestsPerNodeMinute: settings.GATEHOUSE_STATS_MAX_NODE_RPS * 60,
    maxAgeMs: settings.GATEHOUSE_ANALYTICS_MINUTE_RETENTION_DAYS * 86_400_000,
    maxAheadMs: MAX_CLOCK_SKEW_MS,
  };
}

/** Requests per minute (epoch seconds at the minute's start) in a batch. */
export function requestsPerMinute(buckets: readonly StatsBucket[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const b of buckets) totals.set(b.minute, (totals.get(b.minute) ?? 0) + b.count);
  return totals;
}

/**
 * Checks what a batch says on its own: every bucket dated within
 * [now − maxAge, now + maxAhead], and no minute claiming more requests than
 * one node may serve. Answers why the batch is refused, or null. (The cap
 * across batches is checked where they are summed: ingest.ts.)
 */
export function checkStatsBatch(buckets: readonly StatsBucket[], limits: StatsLimits, nowMs: number): string | null {
  for (const b of buckets) {
    const at = b.minute * 1000;
    if (at > nowMs + limits.maxAheadMs)
      return `bucket dated ${new Date(at).toISOString()} is ahead of the control plane's clock by more than ${limits.maxAheadMs / 1000} s`;
    if (at < nowMs - limits.maxAgeMs) return `bucket dated ${new Date(at).toISOString()} is older than the minute retention`;
  }
  for (const [minute, total] of requestsPerMinute(buckets)) {
    if (total > limits.maxRequestsPerNodeMinute) return overCap(minute, total, limits);
  }
  return null;
}

/** The refusal for a node-minute over the cap. */
export function overCap(minute: number, total: number, limits: StatsLimits): string {
  return `${total} requests reported for the minute ${new Date(minute * 1000).toISOString()}: more than one node may serve (${limits.maxRequestsPerNodeMinute} a minute, GATEHOUSE_STATS_MAX_NODE_RPS)`;
}
