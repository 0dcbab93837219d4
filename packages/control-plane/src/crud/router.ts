import type { Request, Router } from 'express';
import { authOf } from '../auth/context';
import type { Db } from '../database/client';
import { ApiError } from '../http/api-error';
import { isUuid } from '../http/entity-key';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { toApi } from './codec';
import type { EntityDef, Nesting, Row } from './entity';
import { GATEWAY_ENTITY_DEFS } from './entities';
import { createEntity, deleteEntity, findEntity, listEntities, updateEntity, type Scope } from './store';
import { transaction } from './transaction';

/** Resolves `:rg` (and `:parent` for a nested path) into the scope an operation runs in. */
async function scopeOf(db: Db, req: Request, nesting?: Nesting): Promise<Scope> {
  const group = await findRuntimeGroup(db, req);
  const scope: Scope = { runtimeGroupId: group.id, organizationId: authOf(req).organizationId };
  if (!nesting) return scope;
  const parent = await findEntity(db, nesting.parent(), scope, req.params.parent as string);
  return { ...scope, parent: { nesting, id: parent.id } };
}

/** Rows as answers: the computed fields filled in (a certificate's `snis` and expiry), then the answer shape. */
async function answers(db: Db, def: EntityDef, rows: Row[]): Promise<Record<string, unknown>[]> {
  const decorated = def.decorate ? await def.decorate(db, rows) : rows;
  return decorated.map((row) => toApi(def, row));
}

async function answer(db: Db, def: EntityDef, row: Row): Promise<Record<string, unknown>> {
  return (await answers(db, def, [row]))[0] ?? toApi(def, row);
}

/** Mounts list/create on `base` and read/replace/merge/delete on `base/:id` for one entity. */
function mountEntity(router: Router, db: Db, def: EntityDef, base: string, nesting?: Nesting): void {
  router.get(base, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    const q = listQuery(req.query);
    const rows = await listEntities(db, def, scope, q);
    const shown = new Map((await answers(db, def, rows)).map((a, i) => [rows[i], a]));
    res.json(page(rows, q, (row) => shown.get(row) ?? toApi(def, row)));
  });
  router.post(base, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    const { row, reveal } = await transaction(db, (tx) => createEntity(tx, def, scope, req.body));
    res.status(201).json({ ...(await answer(db, def, row)), ...reveal });
  });
  router.get(`${base}/:id`, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    res.json(await answer(db, def, await findEntity(db, def, scope, req.params.id)));
  });
  router.delete(`${base}/:id`, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    await transaction(db, async (tx) => deleteEntity(tx, def, scope, await findEntity(tx, def, scope, req.params.id)));
    res.status(204).end();
  });
  if (!def.updatable) return;
  router.patch(`${base}/:id`, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    const row = await transaction(db, async (tx) => updateEntity(tx, def, scope, await findEntity(tx, def, scope, req.params.id), req.body, 'patch'));
    res.json(await answer(db, def, row));
  });
  // PUT replaces, or creates the entity the path names (by id or by name) when it does not exist, as in Kong.
  router.put(`${base}/:id`, async (req, res) => {
    const scope = await scopeOf(db, req, nesting);
    const key = req.params.id;
    const { row, created } = await transaction(db, async (tx) => {
      const existing = await findEntity(tx, def, scope, key).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'not_found') return null;
        throw err;
      });
      if (existing) return { row: await updateEntity(tx, def, scope, existing, req.body, 'replace'), created: false };
      const opts = isUuid(key) ? { id: key.toLowerCase() } : { defaults: def.endpointKey ? { [def.endpointKey]: key } : {} };
      const body: unknown = !isUuid(key) && def.bodyForKey ? def.bodyForKey(key, req.body) : req.body;
      return { row: (await createEntity(tx, def, scope, body, opts)).row, created: true };
    });
    res.status(created ? 201 : 200).json(await answer(db, def, row));
  });
}

/**
 * The gateway entities' REST API, built from their definitions
 * (the entity registry): `/runtime-groups/{rg}/<entity>[/{id}]` for top-level
 * entities and `/runtime-groups/{rg}/<parent>/{parent}/<entity>[/{id}]` for
 * each nesting. No entity has a hand-written controller.
 */
export const gatewayEntitiesModule: AppModule = {
  name: 'gateway-entities',
  api(router, { db }) {
    for (const def of GATEWAY_ENTITY_DEFS) {
      if (def.topLevel) mountEntity(router, db, def, `/runtime-groups/:rg/${def.path}`);
      for (const nesting of def.nesting) mountEntity(router, db, def, `/runtime-groups/:rg/${nesting.parent().path}/:parent/${def.path}`, nesting);
    }
  },
};
