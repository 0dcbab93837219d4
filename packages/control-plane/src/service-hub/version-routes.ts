import { toApi } from '../crud/codec';
import { routes } from '../crud/entities';
import { createEntity, listEntities } from '../crud/store';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { versionRoutesScope } from './implementation';
import { findHubVersion } from './lookup';
import { transaction } from '../crud/transaction';

/**
 * `/service-hub/services/{id}/versions/{vid}/routes`: the routes of the
 * version's implementing gateway service, and more of them (POST, same rules
 * as any route). 409 while the version has no implementation.
 */
export const versionRoutesModule: AppModule = {
  name: 'service-hub-version-routes',
  api(router, { db }) {
    const path = '/service-hub/services/:service/versions/:version/routes';
    router.get(path, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      const q = listQuery(req.query);
      res.json(page(await listEntities(db, routes, versionRoutesScope(req, version), q), q, (row) => toApi(routes, row)));
    });
    router.post(path, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      const scope = versionRoutesScope(req, version);
      const { row } = await transaction(db, (tx) => createEntity(tx, routes, scope, req.body));
      res.status(201).json(toApi(routes, row));
    });
  },
};
