import type { Request, Response } from 'express';
import type { ClusterService } from '../cluster/cluster';
import type { Db } from '../database/client';
import { schemaViolation } from '../http/api-error';
import type { AppModule } from '../http/module';
import type { Logger } from '../logging';
import { findRuntimeGroup } from '../runtime-groups/lookup';

async function purge(db: Db, log: Logger, cluster: ClusterService, req: Request, res: Response, key: string | null): Promise<void> {
  const group = await findRuntimeGroup(db, req);
  if (key !== null && key.length > 256) throw schemaViolation({ cache_key: 'length must be at most 256' });
  if (key !== null) {
    const plugins = await db.plugin.count({ where: { runtimeGroupId: group.id, name: 'proxy-cache', enabled: true } });
    if (plugins === 0) {
      res.status(404).json({ message: 'Not found' });
      return;
    }
  }
  await cluster.pushProxyCachePurge(group.id, key);
  log.info({ event: 'proxy_cache_purge', runtime_group_id: group.id, cache_key: key });
  res.status(204).end();
}

/**
 * Kong's proxy-cache purge (docs/PLUGINS.md), per runtime group:
 * `DELETE /runtime-groups/{rg}/proxy-cache` (every entry) and
 * `.../proxy-cache/{cache_key}` (one), sent to the group's connected DPs over
 * the cluster link (on every CP process). Kong answers 204, or 404 when no
 * proxy-cache plugin had the key; the CP does not see the DPs' memory, so it
 * answers 404 only when the group has no enabled proxy-cache plugin.
 */
export function proxyCacheModule(cluster: ClusterService): AppModule {
  return {
    name: 'proxy-cache',
    api(router, { db, log }) {
      router.delete('/runtime-groups/:rg/proxy-cache', (req, res) => purge(db, log, cluster, req, res, null));
      router.delete('/runtime-groups/:rg/proxy-cache/:key', (req, res) => purge(db, log, cluster, req, res, req.params.key));
    },
  };
}
