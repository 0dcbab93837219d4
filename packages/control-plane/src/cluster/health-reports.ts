import type { UpstreamHealthReport } from '@gatehouse/protocol';

/** What one connected DP last said about its upstreams' targets. */
export interface NodeHealth {
  readonly nodeId: string;
  readonly hostname: string;
  readonly reportedAt: Date;
  readonly upstreams: readonly UpstreamHealthReport[];
}

/**
 * The target health reported by the DPs connected to this CP process
 * (`health` messages, docs/CLUSTER.md), by runtime group and node. Kept in
 * memory only: a node's report goes when its connection closes, and a DP
 * connected to another CP behind the same address is not seen here
 * (docs/API.md, upstream health).
 */
export class HealthReports {
  private readonly byGroup = new Map<string, Map<string, NodeHealth>>();

  record(runtimeGroupId: string, nodeId: string, hostname: string, upstreams: readonly UpstreamHealthReport[]): void {
    let group = this.byGroup.get(runtimeGroupId);
    if (!group) this.byGroup.set(runtimeGroupId, (group = new Map<string, NodeHealth>()));
    group.set(nodeId, { nodeId, hostname, reportedAt: new Date(), upstreams });
  }

  forget(runtimeGroupId: string, nodeId: string): void {
    const group = this.byGroup.get(runtimeGroupId);
    group?.delete(nodeId);
    if (group?.size === 0) this.byGroup.delete(runtimeGroupId);
  }

  /** Every connected node's last report in the group, by node id. */
  of(runtimeGroupId: string): NodeHealth[] {
    return [...(this.byGroup.get(runtimeGroupId)?.values() ?? [])].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
  }
}
