import type { Request } from 'express';
import type { Db } from '../database/client';
import { notFound } from '../http/api-error';
import { keyWhere } from '../http/entity-key';
import type { AppModule } from '../http/module';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { findHubVersion } from '../service-hub/lookup';
import { queryAnalytics, type AnalyticsScope } from './query';
import { parseWindow } from './window';

/** A gateway service or route of the group, by id or name, as an analytics filter; 404 if absent. */
async function entityFilter(db: Db, runtimeGroupId: string, kind: 'service' | 'route', key: string): Promise<string> {
  const where = { ...keyWhere(key, 'name'), runtimeGroupId };
  const found = kind === 'service' ? await db.service.findFirst({ where, select: { id: true } }) : await db.route.findFirst({ where, select: { id: true } });
  if (!found) throw notFound(kind, key);
  return found.id;
}

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Traffic analytics (docs/API.md, Analytics): a Service Hub version's traffic is its
 * implementation's gateway service's; a runtime group's may be narrowed with
 * `?service=` or `?route=` (id or name), or read at
 * `/runtime-groups/:rg/services/:id/analytics` and `…/routes/:id/analytics`.
 */
export const analyticsModule: AppModule = {
  name: 'analytics',
  api(router, { db }) {
    router.get('/service-hub/services/:service/versions/:version/analytics', async (req, res) => {
      const { version } = await findHubVersion(db, req);
      const window = parseWindow(req.query);
      // A version with no implementation has had no traffic: a service id that matches nothing.
      const scope: AnalyticsScope = { runtimeGroupId: version.runtimeGroupId, serviceId: version.gatewayServiceId ?? '' };
      res.json(await queryAnalytics(db, scope, window));
    });
    router.get('/runtime-groups/:rg/analytics', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const window = parseWindow(req.query);
      const scope: AnalyticsScope = { runtimeGroupId: group.id };
      const service = queryString(req, 'service');
      const route = queryString(req, 'route');
      if (service !== undefined) scope.serviceId = await entityFilter(db, group.id, 'service', service);
      if (route !== undefined) scope.routeId = await entityFilter(db, group.id, 'route', route);
      res.json(await queryAnalytics(db, scope, window));
    });
    for (const kind of ['service', 'route'] as const) {
      router.get(`/runtime-groups/:rg/${kind}s/:id/analytics`, async (req, res) => {
        const group = await findRuntimeGroup(db, req);
        const window = parseWindow(req.query);
        const id = await entityFilter(db, group.id, kind, req.params.id);
        res.json(await queryAnalytics(db, { runtimeGroupId: group.id, ...(kind === 'service' ? { serviceId: id } : { routeId: id }) }, window));
      });
    }
  },
};
