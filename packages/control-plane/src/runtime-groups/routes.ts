import { DEFAULT_RUNTIME_GROUP, runtimeGroupInput, toTimestamp } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import type { RuntimeGroup } from '../generated/prisma/client';
import { ApiError } from '../http/api-error';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { findRuntimeGroup } from './lookup';

/** A runtime group as the API answers it (CA material and the config version stay inside). */
export function runtimeGroupToApi(g: RuntimeGroup): Record<string, unknown> {
  return { id: g.id, name: g.name, description: g.description, labels: g.labels, created_at: toTimestamp(g.createdAt), updated_at: toTimestamp(g.updatedAt) };
}

const writable = (body: unknown): Record<string, unknown> => {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = objectBody(body);
  return rest;
};

/**
 * `/runtime-groups`: list, create, read, PATCH (merge) and delete. The group
 * named `default` exists from bootstrap; renaming or deleting it answers 409
 * `conflict`. Deleting a group removes its gateway entities, certificates
 * and nodes, but not while a Service Hub version still lives in it (409).
 */
export const runtimeGroupsModule: AppModule = {
  name: 'runtime-groups',
  api(router, { db, log }) {
    router.get('/runtime-groups', async (req, res) => {
      const q = listQuery(req.query);
      const rows = await db.runtimeGroup.findMany({ where: { organizationId: authOf(req).organizationId, ...q.where }, orderBy: q.orderBy, take: q.take });
      res.json(page(rows, q, runtimeGroupToApi));
    });
    router.post('/runtime-groups', async (req, res) => {
      const input = validate(runtimeGroupInput, writable(req.body));
      const row = await db.runtimeGroup.create({
        data: { organizationId: authOf(req).organizationId, name: input.name, description: input.description ?? null, labels: input.labels },
      });
      log.info({ event: 'runtime_group_created', runtime_group_id: row.id, name: row.name });
      res.status(201).json(runtimeGroupToApi(row));
    });
    router.get('/runtime-groups/:rg', async (req, res) => {
      res.json(runtimeGroupToApi(await findRuntimeGroup(db, req)));
    });
    router.patch('/runtime-groups/:rg', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const current = { name: group.name, description: group.description, labels: group.labels };
      const input = validate(runtimeGroupInput, { ...current, ...writable(req.body) });
      if (group.name === DEFAULT_RUNTIME_GROUP && input.name !== DEFAULT_RUNTIME_GROUP) {
        throw new ApiError('conflict', `the runtime group '${DEFAULT_RUNTIME_GROUP}' cannot be renamed`, { name: 'cannot rename the default runtime group' });
      }
      const row = await db.runtimeGroup.update({
        where: { id: group.id },
        data: { name: input.name, description: input.description ?? null, labels: input.labels },
      });
      res.json(runtimeGroupToApi(row));
    });
    router.delete('/runtime-groups/:rg', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      if (group.name === DEFAULT_RUNTIME_GROUP) throw new ApiError('conflict', `the runtime group '${DEFAULT_RUNTIME_GROUP}' cannot be deleted`);
      const versions = await db.hubVersion.count({ where: { runtimeGroupId: group.id } });
      if (versions > 0) throw new ApiError('conflict', `runtime group '${group.name}' still holds ${versions} Service Hub version(s); delete them first`);
      await db.runtimeGroup.delete({ where: { id: group.id } });
      log.info({ event: 'runtime_group_deleted', runtime_group_id: group.id, name: group.name });
      res.status(204).end();
    });
  },
};
