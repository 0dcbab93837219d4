import type { Logger } from '../logging';
import type { Snapshot } from '../snapshot/snapshot';
import { CLOSE } from './close-codes';
import type { DpSession } from './session';

/**
 * The data planes connected to this CP process, indexed by runtime group,
 * node and certificate. One live session per node per process: a reconnect
 * replaces the older socket (it is usually a dead connection not yet noticed).
 */
export class SessionRegistry {
  private readonly byGroup = new Map<string, Set<DpSession>>();
  private readonly byNode = new Map<string, DpSession>();

  constructor(private readonly log: Logger) {}

  add(session: DpSession): void {
    const older = this.byNode.get(session.nodeId);
    if (older && older !== session) older.close(CLOSE.conflict, 'replaced by a newer connection of the same node');
    this.byNode.set(session.nodeId, session);
    let group = this.byGroup.get(session.runtimeGroupId);
    if (!group) this.byGroup.set(session.runtimeGroupId, (group = new Set()));
    group.add(session);
  }

  remove(session: DpSession): void {
    if (this.byNode.get(session.nodeId) === session) this.byNode.delete(session.nodeId);
    const group = this.byGroup.get(session.runtimeGroupId);
    group?.delete(session);
    if (group?.size === 0) this.byGroup.delete(session.runtimeGroupId);
  }

  hasGroup(runtimeGroupId: string): boolean {
    return this.byGroup.has(runtimeGroupId);
  }

  /** Every session, for shutdown and rechecks. */
  all(): DpSession[] {
    return [...this.byNode.values()];
  }

  /** A new snapshot of a group: offered to that group's sessions only. */
  offer(snapshot: Snapshot): void {
    for (const session of this.byGroup.get(snapshot.runtimeGroupId) ?? []) session.offer(snapshot);
  }

  /** Closes at once every connection that authenticated with this certificate. */
  closeCertificate(certificateId: string): void {
    for (const session of this.all()) {
      if (session.certificateId !== certificateId) continue;
      this.log.warn({ event: 'dp_certificate_revoked', node_id: session.nodeId, certificate_id: certificateId });
      session.close(CLOSE.certificateRevoked, 'the client certificate has been revoked');
    }
  }

  /** Re-creates the rows of connected nodes deleted through the API (they are still there, as in Kong). */
  reRegister(nodeIds: readonly string[]): void {
    for (const id of nodeIds) {
      const session = this.byNode.get(id);
      if (session) void session.reRegister().catch((err: Error) => this.log.warn({ event: 'node_write_failed', node_id: id, err: err.message }));
    }
  }
}
