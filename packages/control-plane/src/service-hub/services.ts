import { hubNameKey, hubServiceInput } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import { touchConfig } from '../database/config-change';
import type { Tx } from '../crud/entity';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { findHubService } from './lookup';
import { hubServiceToApi, konnectServiceTag } from './serialize';
import { transaction } from '../crud/transaction';

const writable = (body: unknown): Record<string, unknown> => {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = objectBody(body);
  return rest;
};

/** After a rename, the gateway services implementing the service's versions carry the new tag. */
async function retagImplementations(tx: Tx, serviceId: string, oldName: string, newName: string): Promise<void> {
  const [oldTag, newTag] = [konnectServiceTag(oldName), konnectServiceTag(newName)];
  if (oldTag === newTag) return;
  const versions = await tx.hubVersion.findMany({ where: { serviceId, gatewayServiceId: { not: null } }, include: { gatewayService: true } });
  for (const v of versions) {
    const gs = v.gatewayService;
    if (!gs) continue;
    const tags = [...gs.tags.filter((t) => t !== oldTag && t !== newTag), newTag];
    await tx.service.update({ where: { id: gs.id }, data: { tags } });
    await touchConfig(tx, gs.runtimeGroupId);
  }
}

/**
 * `/service-hub/services`: the catalog of services in the organization.
 * Names may hold spaces, which count as `-` for uniqueness (`Example
 * Service` clashes with `example-service`: 409 naming `name`). Deleting a
 * service deletes its versions; the gateway services that implemented them
 * stay in their runtime groups, unlinked.
 */
export const hubServicesModule: AppModule = {
  name: 'service-hub-services',
  api(router, { db, log }) {
    router.get('/service-hub/services', async (req, res) => {
      const q = listQuery(req.query);
      const rows = await db.hubService.findMany({ where: { organizationId: authOf(req).organizationId, ...q.where }, orderBy: q.orderBy, take: q.take });
      res.json(page(rows, q, hubServiceToApi));
    });
    router.post('/service-hub/services', async (req, res) => {
      const input = validate(hubServiceInput, writable(req.body));
      const row = await db.hubService.create({
        data: {
          organizationId: authOf(req).organizationId,
          name: input.name,
          nameKey: hubNameKey(input.name),
          displayName: input.display_name ?? null,
          description: input.description ?? null,
        },
      });
      log.info({ event: 'hub_service_created', hub_service_id: row.id, name: row.name });
      res.status(201).json(hubServiceToApi(row));
    });
    router.get('/service-hub/services/:service', async (req, res) => {
      res.json(hubServiceToApi(await findHubService(db, req)));
    });
    router.patch('/service-hub/services/:service', async (req, res) => {
      const current = await findHubService(db, req);
      const base = { name: current.name, display_name: current.displayName, description: current.description };
      const input = validate(hubServiceInput, { ...base, ...writable(req.body) });
      const row = await transaction(db, async (tx) => {
        const updated = await tx.hubService.update({
          where: { id: current.id },
          data: { name: input.name, nameKey: hubNameKey(input.name), displayName: input.display_name ?? null, description: input.description ?? null },
        });
        await retagImplementations(tx, current.id, current.name, updated.name);
        return updated;
      });
      res.json(hubServiceToApi(row));
    });
    router.delete('/service-hub/services/:service', async (req, res) => {
      const current = await findHubService(db, req);
      await db.hubService.delete({ where: { id: current.id } });
      log.info({ event: 'hub_service_deleted', hub_service_id: current.id });
      res.status(204).end();
    });
  },
};
