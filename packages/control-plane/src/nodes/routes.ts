import type { Request } from 'express';
import { toTimestamp, type DataPlaneNode, type ExpectedConfigHash } from '@gatehouse/protocol';
import type { Node } from '../generated/prisma/client';
import { notFound } from '../http/api-error';
import { isUuid } from '../http/entity-key';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import type { SnapshotPublisher } from '../snapshot/publisher';
import { computeSyncStatus, type GroupSyncFacts } from './sync-status';

/** A node as the API answers it, its sync status computed at `now` (the database clock). */
export function nodeToApi(n: Node, group: GroupSyncFacts, now: Date): DataPlaneNode {
  return {
    id: n.id,
    hostname: n.hostname,
    ip: n.ip,
    version: n.version,
    config_hash: n.configHash,
    last_seen: toTimestamp(n.lastSeen),
    sync_status: computeSyncStatus(n, group, now),
    cert_not_after: n.certNotAfter ? toTimestamp(n.certNotAfter) : null,
    last_error: n.incompatible ?? (n.rejectedHash !== null && n.rejectedHash === group.expectedHash ? n.lastError : null),
    created_at: toTimestamp(n.createdAt),
  };
}

function nodeId(req: Request): string {
  const id = req.params.id as string;
  if (!isUuid(id)) throw notFound('node', id);
  return id.toLowerCase();
}

/**
 * `/runtime-groups/:rg/nodes` (list, read, DELETE) and
 * `/runtime-groups/:rg/expected-config-hash`. Status is computed when read,
 * against the group's current snapshot and the database's clock, so every CP
 * process answers alike. A deleted node that is still connected comes back at
 * its next heartbeat, as in Kong.
 */
export function nodesModule(publisher: SnapshotPublisher): AppModule {
  return {
    name: 'nodes',
    api(router, { db, log }) {
      const facts = async (group: { id: string; configChangedAt: Date }): Promise<{ facts: GroupSyncFacts; now: Date }> => {
        const [snapshot, [clock]] = await Promise.all([publisher.current(group.id), db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`]);
        return { facts: { expectedHash: snapshot?.hash ?? null, changedAt: group.configChangedAt }, now: clock?.now ?? new Date() };
      };
      router.get('/runtime-groups/:rg/nodes', async (req, res) => {
        const group = await findRuntimeGroup(db, req);
        const q = listQuery(req.query);
        const rows = await db.node.findMany({ where: { runtimeGroupId: group.id, ...q.where }, orderBy: q.orderBy, take: q.take });
        const { facts: f, now } = await facts(group);
        res.json(page(rows, q, (n) => nodeToApi(n, f, now)));
      });
      router.get('/runtime-groups/:rg/nodes/:id', async (req, res) => {
        const group = await findRuntimeGroup(db, req);
        const id = nodeId(req);
        const row = await db.node.findFirst({ where: { id, runtimeGroupId: group.id } });
        if (!row) throw notFound('node', id);
        const { facts: f, now } = await facts(group);
        res.json(nodeToApi(row, f, now));
      });
      router.delete('/runtime-groups/:rg/nodes/:id', async (req, res) => {
        const group = await findRuntimeGroup(db, req);
        const id = nodeId(req);
        const { count } = await db.node.deleteMany({ where: { id, runtimeGroupId: group.id } });
        if (count === 0) throw notFound('node', id);
        log.info({ event: 'node_deleted', runtime_group_id: group.id, node_id: id });
        res.status(204).end();
      });
      router.get('/runtime-groups/:rg/expected-config-hash', async (req, res) => {
        const group = await findRuntimeGroup(db, req);
        const snapshot = await publisher.current(group.id);
        const answer: ExpectedConfigHash = { expected_hash: snapshot?.hash ?? null, version: snapshot?.version ?? Number(group.configVersion) };
        res.json(answer);
      });
    },
  };
}
