import type { HealthOverride, TargetHealthName, UpstreamHealthReport } from '@gatehouse/protocol';
import type { WorkerPool } from '../workers/primary';
import type { HealthSource } from './cluster-link';

/** Which of two workers' views of a target the DP as a whole reports: any UNHEALTHY wins, then DNS_ERROR, then HEALTHY. */
const RANK: Record<TargetHealthName, number> = { UNHEALTHY: 3, DNS_ERROR: 2, HEALTHY: 1, HEALTHCHECKS_OFF: 0 };

type ReportedTarget = UpstreamHealthReport['targets'][number];

function copyTarget(t: ReportedTarget): ReportedTarget {
  return t.addresses === undefined ? { ...t } : { ...t, addresses: t.addresses.map((a) => ({ ...a })) };
}

/** Folds another worker's view of a target into `mine`: the worse health wins, per target and per address (a worker may hold an address another has not resolved yet). */
function mergeTarget(mine: ReportedTarget, t: ReportedTarget): void {
  if (RANK[t.health] > RANK[mine.health]) mine.health = t.health;
  for (const a of t.addresses ?? []) {
    mine.addresses ??= [];
    const same = mine.addresses.find((x) => x.ip === a.ip && x.port === a.port);
    if (!same) mine.addresses.push({ ...a });
    else if (RANK[a.health] > RANK[same.health]) same.health = a.health;
  }
}

/**
 * The primary's health picture with GATEHOUSE_WORKERS > 1: each worker's
 * last report, merged target by target (a target unhealthy in any worker is
 * UNHEALTHY: part of the traffic avoids it); overrides go to every worker.
 */
export class WorkerHealth implements HealthSource {
  private readonly byWorker = new Map<number, UpstreamHealthReport[]>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly pool: WorkerPool) {
    pool.onHealth((workerId, upstreams) => {
      if (upstreams === null) this.byWorker.delete(workerId);
      else this.byWorker.set(workerId, upstreams);
      for (const fn of this.listeners) fn();
    });
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  override(upstreamId: string, target: string, healthy: boolean): void {
    const override: HealthOverride = { type: 'health_override', upstream_id: upstreamId, target, healthy };
    this.pool.pushHealthOverride(override);
  }

  report(): UpstreamHealthReport[] {
    const merged = new Map<string, UpstreamHealthReport>();
    for (const reports of this.byWorker.values()) {
      for (const u of reports) {
        const seen = merged.get(u.id);
        if (!seen) {
          merged.set(u.id, { ...u, targets: u.targets.map(copyTarget) });
          continue;
        }
        for (const t of u.targets) {
          const mine = seen.targets.find((x) => x.target === t.target);
          if (!mine) seen.targets.push(copyTarget(t));
          else mergeTarget(mine, t);
        }
      }
    }
    return [...merged.values()];
  }
}
