import { secretInput, secretName, toTimestamp, type SecretAnswer } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import { touchConfig } from '../database/config-change';
import { transaction } from '../crud/transaction';
import { ApiError, notFound } from '../http/api-error';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { sealSecret } from './seal';
import { secretUsage, type GroupRef } from './usage';

interface SecretRow {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

function toApi(row: SecretRow, usage: ReadonlyMap<string, GroupRef[]>): SecretAnswer {
  return { name: row.name, runtime_groups: usage.get(row.name) ?? [], created_at: toTimestamp(row.createdAt), updated_at: toTimestamp(row.updatedAt) };
}

const META = { id: true, name: true, createdAt: true, updatedAt: true } as const;

/**
 * `/secrets`: the organization's secret store, what `{vault://gatehouse/<name>}`
 * references resolve to (docs/API.md, docs/SECURITY.md). Values go in with
 * `PUT` and never come out of the API; answers name the runtime groups whose
 * config references each secret. Changing a secret bumps those groups'
 * config, so their data planes get the new value; deleting one they still
 * reference answers 409.
 */
export const secretsModule: AppModule = {
  name: 'secrets',
  api(router, { db, log, secretKey }) {
    router.get('/secrets', async (req, res) => {
      const organizationId = authOf(req).organizationId;
      const q = listQuery(req.query);
      const rows = await db.secret.findMany({ where: { organizationId, ...q.where }, orderBy: q.orderBy, take: q.take, select: META });
      const usage = await secretUsage(db, organizationId);
      res.json(page(rows, q, (r) => toApi(r, usage)));
    });
    router.get('/secrets/:name', async (req, res) => {
      const organizationId = authOf(req).organizationId;
      const name = req.params.name;
      const row = await db.secret.findUnique({ where: { organizationId_name: { organizationId, name } }, select: META });
      if (!row) throw notFound('secret', name);
      res.json(toApi(row, await secretUsage(db, organizationId)));
    });
    router.put('/secrets/:name', async (req, res) => {
      const organizationId = authOf(req).organizationId;
      const name = validate(secretName, req.params.name, 'name');
      const { value } = validate(secretInput, objectBody(req.body));
      const valueEnc = sealSecret(value, secretKey);
      const { row, created, usage } = await transaction(db, async (tx) => {
        const existing = await tx.secret.findUnique({ where: { organizationId_name: { organizationId, name } }, select: { id: true } });
        const saved = existing
          ? await tx.secret.update({ where: { id: existing.id }, data: { valueEnc }, select: META })
          : await tx.secret.create({ data: { organizationId, name, valueEnc }, select: META });
        const used = await secretUsage(tx, organizationId);
        // The groups that reference it get a new snapshot carrying the new value.
        for (const group of used.get(name) ?? []) await touchConfig(tx, group.id);
        return { row: saved, created: !existing, usage: used };
      });
      log.info({ event: created ? 'secret_created' : 'secret_updated', secret_name: name, runtime_groups: (usage.get(name) ?? []).map((g) => g.id) });
      res.status(created ? 201 : 200).json(toApi(row, usage));
    });
    router.delete('/secrets/:name', async (req, res) => {
      const organizationId = authOf(req).organizationId;
      const name = req.params.name;
      await transaction(db, async (tx) => {
        const row = await tx.secret.findUnique({ where: { organizationId_name: { organizationId, name } }, select: { id: true } });
        if (!row) throw notFound('secret', name);
        const users = (await secretUsage(tx, organizationId)).get(name) ?? [];
        if (users.length > 0) {
          throw new ApiError(
            'conflict',
            `secret '${name}' is referenced by the config of runtime group(s) ${users.map((g) => `'${g.name}'`).join(', ')}; remove the references first`,
          );
        }
        await tx.secret.delete({ where: { id: row.id } });
      });
      log.info({ event: 'secret_deleted', secret_name: name });
      res.status(204).end();
    });
  },
};
