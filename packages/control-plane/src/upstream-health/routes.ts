import net from 'node:net';
import type { Request } from 'express';
import { healthchecksOn, type AddressHealth, type Healthchecks, type TargetHealthName, type UpstreamHealthAnswer } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import type { ClusterService } from '../cluster/cluster';
import { toApi } from '../crud/codec';
import type { Db } from '../database/client';
import { entityDef } from '../crud/entities';
import { findEntity, type Scope } from '../crud/store';
import type { AppModule } from '../http/module';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { combineAddresses, combineHealth, nodeViews, type NodeTargetHealth } from './combine';

const upstreams = entityDef('upstreams');
const targets = entityDef('targets');

async function upstreamOf(db: Db, req: Request): Promise<{ scope: Scope; upstream: Record<string, unknown> & { id: string } }> {
  const group = await findRuntimeGroup(db, req);
  const scope: Scope = { runtimeGroupId: group.id, organizationId: authOf(req).organizationId };
  const row = await findEntity(db, upstreams, scope, req.params.upstream as string);
  return { scope, upstream: { ...toApi(upstreams, row), id: row.id } };
}

/**
 * Kong's `data.addresses` of one target: the addresses the nodes balance
 * over; with none reported (no node, or nodes that do not report addresses)
 * an IP target's own address with the target's health, a hostname target
 * none (the CP resolves nothing).
 */
function targetAddresses(t: { target: string; weight: number }, views: NodeTargetHealth[], health: TargetHealthName, checksOn: boolean): AddressHealth[] {
  const reported = combineAddresses(views, checksOn);
  if (reported.length > 0) return reported;
  const at = t.target.lastIndexOf(':');
  const ip = t.target.slice(0, at).replace(/^\[|\]$/g, '');
  return net.isIP(ip) === 0 ? [] : [{ ip, port: Number(t.target.slice(at + 1)), health, weight: t.weight }];
}

/**
 * Upstream health (docs/API.md): `GET /upstreams/{u}/health`, Kong's shape
 * with the health combined over the connected nodes and each node's view,
 * and Kong's manual overrides `POST /upstreams/{u}/targets/{t}/healthy` and
 * `/unhealthy` (204), pushed to the group's connected DPs (on every CP).
 */
export function upstreamHealthModule(cluster: ClusterService): AppModule {
  return {
    name: 'upstream-health',
    api(router, { db, log }) {
      router.get('/runtime-groups/:rg/upstreams/:upstream/health', async (req, res) => {
        const { scope, upstream } = await upstreamOf(db, req);
        const rows = await targets.model(db).findMany({
          where: { runtimeGroupId: scope.runtimeGroupId, upstreamId: upstream.id },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        const nodes = cluster.health.of(scope.runtimeGroupId);
        const checksOn = healthchecksOn(upstream.healthchecks as Healthchecks);
        const data = rows.map((row) => {
          const t = toApi(targets, row) as { id: string; target: string; weight: number };
          const views = nodeViews(nodes, upstream.id, t.target);
          const health = combineHealth(views, checksOn);
          return { ...t, health, data: { addresses: targetAddresses(t, views, health, checksOn), nodes: views } };
        });
        const answer: UpstreamHealthAnswer = {
          data,
          total: data.length,
          next: null,
          nodes: nodes.map((n) => ({ node_id: n.nodeId, hostname: n.hostname, reported_at: n.reportedAt.toISOString() })),
        };
        res.json(answer);
      });
      for (const state of ['healthy', 'unhealthy'] as const) {
        router.post(`/runtime-groups/:rg/upstreams/:upstream/targets/:target/${state}`, async (req, res) => {
          const { scope, upstream } = await upstreamOf(db, req);
          const nesting = targets.nesting.find((n) => n.parent().path === 'upstreams');
          if (!nesting) throw new Error('targets are not nested under upstreams');
          const row = await findEntity(db, targets, { ...scope, parent: { nesting, id: upstream.id } }, req.params.target);
          const target = String(row.target);
          await cluster.pushHealthOverride(scope.runtimeGroupId, { upstream_id: upstream.id, target, healthy: state === 'healthy' });
          log.info({ event: 'target_health_override', runtime_group_id: scope.runtimeGroupId, upstream_id: upstream.id, target, health: state });
          res.status(204).end();
        });
      }
    },
  };
}
