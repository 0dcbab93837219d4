import { thrownMessage } from '@gatehouse/protocol';
import type { Logger } from '../logging';
import type { Snapshot } from '../snapshot/snapshot';
import { CLOSE } from './close-codes';
import type { DpSession } from './session';

/**
 * The data planes connected to this CP process, indexed by runtime group,
 * node and certificate. A connection is first *pending*: it displaces nobody
 * and is offered no snapshot. Only after its hello, once the node id proved
 * to be its runtime group's (docs/CLUSTER.md, Nodes), does it *claim* the node
 * id; then, and only for a connection of the same group, an older connection
 * of that node is replaced (usually a dead one not yet noticed: a DP restart).
 * So a client that merely knows a node id can never cut that node off.
 */
export class SessionRegistry {
  private readonly pending = new Set<DpSession>();
  private readonly byGroup = new Map<string, Set<DpSession>>();
  private readonly byNode = new Map<string, DpSession>();

  constructor(private readonly log: Logger) {}

  /** A new authenticated connection, before hello: known for revocation and shutdown only. */
  add(session: DpSession): void {
    this.pending.add(session);
  }

  /** The session holding `nodeId` on this process (after its hello), if any. */
  holder(nodeId: string): DpSession | undefined {
    return this.byNode.get(nodeId);
  }

  /**
   * The session takes its node id after hello. An older session of the same
   * node and runtime group is closed (4409); one of another group is left
   * alone and the claim fails (answers false, nothing changed).
   */
  claim(session: DpSession): boolean {
    const older = this.byNode.get(session.nodeId);
    if (older && older !== session) {
      if (older.runtimeGroupId !== session.runtimeGroupId) return false;
      older.close(CLOSE.replaced, 'replaced by a newer connection of the same node');
    }
    this.pending.delete(session);
    this.byNode.set(session.nodeId, session);
    let group = this.byGroup.get(session.runtimeGroupId);
    if (!group) this.byGroup.set(session.runtimeGroupId, (group = new Set()));
    group.add(session);
    return true;
  }

  remove(session: DpSession): void {
    this.pending.delete(session);
    if (this.byNode.get(session.nodeId) === session) this.byNode.delete(session.nodeId);
    const group = this.byGroup.get(session.runtimeGroupId);
    group?.delete(session);
    if (group?.size === 0) this.byGroup.delete(session.runtimeGroupId);
  }

  hasGroup(runtimeGroupId: string): boolean {
    return this.byGroup.has(runtimeGroupId);
  }

  /** Every session, pending ones included, for shutdown and rechecks. */
  all(): DpSession[] {
    const claimed = new Set([...this.byGroup.values()].flatMap((g) => [...g]));
    return [...claimed, ...this.pending];
  }

  /** The sessions of a group that have claimed their node id (after hello). */
  ofGroup(runtimeGroupId: string): DpSession[] {
    return [...(this.byGroup.get(runtimeGroupId) ?? [])];
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
      session.close(CLOSE.forbidden, 'the client certificate has been revoked');
    }
  }

  /** Re-creates the rows of connected nodes deleted through the API (they are still there, as in Kong). */
  reRegister(nodeIds: readonly string[]): void {
    for (const id of nodeIds) {
      const session = this.byNode.get(id);
      if (session) void session.reRegister().catch((err: unknown) => this.log.warn({ event: 'node_write_failed', node_id: id, err: thrownMessage(err) }));
    }
  }
}
