import { implementationInput, type HubImplementation, type Route, type Service } from '@gatehouse/protocol';
import type { Request } from 'express';
import { authOf } from '../auth/context';
import { toApi } from '../crud/codec';
import type { Nesting, Row, Tx } from '../crud/entity';
import { routes, services } from '../crud/entities';
import { createEntity, deleteEntity, findEntity, updateEntity, type Scope } from '../crud/store';
import type { HubService, HubVersion } from '../generated/prisma/client';
import { ApiError, notFound, schemaViolation } from '../http/api-error';
import { fromDatabaseError } from '../http/database-errors';
import type { AppModule } from '../http/module';
import { objectBody, validate } from '../http/validate';
import { findHubVersion } from './lookup';
import { konnectServiceTag } from './serialize';
import { transaction } from '../crud/transaction';

/** Reports errors of one part of a compound body under its name: `route.name`, `service.host`. */
async function asPart<T>(part: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const mapped = err instanceof ApiError ? err : fromDatabaseError(err);
    if (!mapped?.fields) throw err;
    const fields = Object.fromEntries(Object.entries(mapped.fields).map(([k, v]) => [k === '@entity' ? part : `${part}.${k}`, v]));
    throw new ApiError(mapped.code, mapped.message, fields, { cause: err });
  }
}

function scopeOf(req: Request, version: HubVersion): Scope {
  return { runtimeGroupId: version.runtimeGroupId, organizationId: authOf(req).organizationId };
}

/**
 * An implementation as the API answers it (protocol `hubImplementation`): the
 * version it implements, the gateway service, and every route on that service.
 */
async function implementationToApi(tx: Tx, version: HubVersion, gatewayServiceId: string): Promise<HubImplementation> {
  const service = await tx.service.findUniqueOrThrow({ where: { id: gatewayServiceId } });
  const rows = await tx.route.findMany({ where: { serviceId: service.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return {
    version_id: version.id,
    runtime_group_id: version.runtimeGroupId,
    // toApi answers exactly the fields of the entity's protocol output schema (`service`, `route`).
    service: toApi(services, service) as Service,
    routes: rows.map((r) => toApi(routes, r as unknown as Row) as Route),
  };
}

/** Links an existing gateway service that serves no version yet, adding the Service Hub tag. */
async function linkExisting(tx: Tx, scope: Scope, hub: HubService, id: string): Promise<Row> {
  const existing = await findEntity(tx, services, scope, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 'not_found')
      throw schemaViolation({ 'service.id': `no gateway service with id '${id}' in the version's runtime group` });
    throw err;
  });
  const serving = await tx.hubVersion.findFirst({ where: { gatewayServiceId: existing.id } });
  if (serving)
    throw new ApiError('conflict', `gateway service '${id}' already implements version ${serving.id}`, { 'service.id': 'already implements a version' });
  const tag = konnectServiceTag(hub.name);
  const tags = existing.tags as string[];
  return tags.includes(tag) ? existing : updateEntity(tx, services, scope, existing, { tags: [...tags, tag] }, 'patch');
}

function requireImplementation(version: HubVersion): string {
  if (!version.gatewayServiceId) throw notFound(`implementation of version '${version.name}'`);
  return version.gatewayServiceId;
}

/**
 * A version's implementation: the gateway service (new, from `{name, url}` or
 * `{name, protocol, host, port, path}`, or an existing unlinked one by `{id}`)
 * tagged `_KonnectService:<service name>`, and its first route. POST makes
 * both in ONE transaction, so a bad route leaves no gateway service behind.
 * A version has at most one implementation (409), and a gateway service
 * implements at most one version (409). Version routes add more routes to
 * the implementing gateway service.
 */
export const implementationModule: AppModule = {
  name: 'service-hub-implementation',
  api(router, { db, log }) {
    const base = '/service-hub/services/:service/versions/:version';
    router.post(`${base}/implementation`, async (req, res) => {
      const { service: hub, version } = await findHubVersion(db, req);
      const body = objectBody(req.body);
      const input = validate(implementationInput, body);
      if (version.gatewayServiceId) throw new ApiError('conflict', `version '${version.name}' already has an implementation; PATCH or DELETE it`);
      const scope = scopeOf(req, version);
      const answer = await transaction(db, async (tx) => {
        const gateway =
          'id' in input.service && typeof input.service.id === 'string'
            ? await linkExisting(tx, scope, hub, input.service.id)
            : await asPart('service', async () => {
                const raw = objectBody(body.service);
                const tags: unknown[] = Array.isArray(raw.tags) ? raw.tags : [];
                return (await createEntity(tx, services, scope, { ...raw, tags: [...tags, konnectServiceTag(hub.name)] })).row;
              });
        if (body.route !== undefined) {
          const routeScope: Scope = { ...scope, parent: { nesting: routesOfAService(), id: gateway.id } };
          await asPart('route', () => createEntity(tx, routes, routeScope, body.route));
        }
        // Conditional, so that of two implementations racing for one version exactly one commits.
        const { count } = await asPart('service', () =>
          tx.hubVersion.updateMany({ where: { id: version.id, gatewayServiceId: null }, data: { gatewayServiceId: gateway.id } }),
        );
        if (count === 0) throw new ApiError('conflict', `version '${version.name}' already has an implementation; PATCH or DELETE it`);
        return implementationToApi(tx, await tx.hubVersion.findUniqueOrThrow({ where: { id: version.id } }), gateway.id);
      });
      log.info({ event: 'hub_implementation_created', hub_version_id: version.id, gateway_service_id: answer.service.id });
      res.status(201).json(answer);
    });
    router.get(`${base}/implementation`, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      res.json(await implementationToApi(db, version, requireImplementation(version)));
    });
    router.patch(`${base}/implementation`, async (req, res) => {
      const { service: hub, version } = await findHubVersion(db, req);
      const gatewayId = requireImplementation(version);
      const patch = objectBody(objectBody(req.body).service);
      const scope = scopeOf(req, version);
      const answer = await transaction(db, async (tx) => {
        const existing = await findEntity(tx, services, scope, gatewayId);
        const tag = konnectServiceTag(hub.name);
        const tags: unknown[] = Array.isArray(patch.tags) ? patch.tags : (existing.tags as string[]);
        const withTag = tags.includes(tag) ? patch : { ...patch, tags: [...tags, tag] };
        await asPart('service', () => updateEntity(tx, services, scope, existing, withTag, 'patch'));
        return implementationToApi(tx, version, gatewayId);
      });
      res.json(answer);
    });
    router.delete(`${base}/implementation`, async (req, res) => {
      const { version } = await findHubVersion(db, req);
      const gatewayId = requireImplementation(version);
      const scope = scopeOf(req, version);
      await transaction(db, async (tx) => {
        await tx.route.deleteMany({ where: { serviceId: gatewayId } });
        await deleteEntity(tx, services, scope, await findEntity(tx, services, scope, gatewayId));
      });
      log.info({ event: 'hub_implementation_deleted', hub_version_id: version.id, gateway_service_id: gatewayId });
      res.status(204).end();
    });
  },
};

/** The scope of the routes of a version's implementing gateway service (409 when it has none). */
export function versionRoutesScope(req: Request, version: HubVersion): Scope {
  if (!version.gatewayServiceId) throw new ApiError('conflict', `version '${version.name}' has no implementation yet; create one first`);
  return { ...scopeOf(req, version), parent: { nesting: routesOfAService(), id: version.gatewayServiceId } };
}

/** How routes nest under a gateway service (`/services/{id}/routes`): the routes entity's one nesting. */
function routesOfAService(): Nesting {
  const [nesting] = routes.nesting;
  if (nesting === undefined) throw new Error('routes have no nesting under services');
  return nesting;
}
