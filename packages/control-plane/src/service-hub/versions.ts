import { hubVersionInput } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import type { Db } from '../database/client';
import { schemaViolation } from '../http/api-error';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { findHubService, findHubVersion } from './lookup';
import { hubVersionToApi } from './serialize';

const writable = (body: unknown): Record<string, unknown> => {
  const { id: _id, created_at: _c, updated_at: _u, service: _s, gateway_service: _g, ...rest } = objectBody(body);
  return rest;
};

async function checkRuntimeGroup(db: Db, organizationId: string, runtimeGroupId: string): Promise<void> {
  const group = await db.runtimeGroup.findFirst({ where: { id: runtimeGroupId, organizationId } });
  if (!group) throw schemaViolation({ runtime_group_id: `no runtime group with id '${runtimeGroupId}'` });
}

/**
 * `/service-hub/services/{id}/versions`: `{name, runtime_group_id}`, names
 * unique within their service (409 naming `name`). A version belongs to its
 * runtime group for life: PATCH may rename it, and answers 400 naming
 * `runtime_group_id` for any other group. Deleting a version keeps the
 * gateway service that implemented it (unlinked) in its runtime group.
 */
export const hubVersionsModule: AppModule = {
  name: 'service-hub-versions',
  api(router, { db, log }) {
    const base = '/service-hub/services/:service/versions';
    router.get(base, async (req, res) => {
      const service = await findHubService(db, req);
      const q = listQuery(req.query);
      const rows = await db.hubVersion.findMany({ where: { serviceId: service.id, ...q.where }, orderBy: q.orderBy, take: q.take });
      res.json(page(rows, q, hubVersionToApi));
    });
    router.post(base, async (req, res) => {
      const service = await findHubService(db, req);
      const input = validate(hubVersionInput, writable(req.body));
      await checkRuntimeGroup(db, authOf(req).organizationId, input.runtime_group_id);
      const row = await db.hubVersion.create({ data: { serviceId: service.id, name: input.name, runtimeGroupId: input.runtime_group_id } });
      log.info({ event: 'hub_version_created', hub_service_id: service.id, hub_version_id: row.id });
      res.status(201).json(hubVersionToApi(row));
    });
    router.get(`${base}/:version`, async (req, res) => {
      res.json(hubVersionToApi((await findHubVersion(db, req)).version));
    });
    router.patch(`${base}/:version`, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      const input = validate(hubVersionInput, { name: version.name, runtime_group_id: version.runtimeGroupId, ...writable(req.body) });
      if (input.runtime_group_id !== version.runtimeGroupId) {
        throw schemaViolation({ runtime_group_id: 'a version belongs to one runtime group for life; create a new version instead' });
      }
      const row = await db.hubVersion.update({ where: { id: version.id }, data: { name: input.name } });
      res.json(hubVersionToApi(row));
    });
    router.delete(`${base}/:version`, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      await db.hubVersion.delete({ where: { id: version.id } });
      log.info({ event: 'hub_version_deleted', hub_version_id: version.id });
      res.status(204).end();
    });
  },
};
