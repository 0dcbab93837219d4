import { hubNameKey } from '@gatehouse/protocol';
import type { Request } from 'express';
import { authOf } from '../auth/context';
import type { Db } from '../database/client';
import type { HubService, HubVersion } from '../generated/prisma/client';
import { notFound } from '../http/api-error';
import { isUuid } from '../http/entity-key';

/**
 * The Service Hub service a path names (`:service`: an id, or a name compared
 * the way names clash: spaces as `-`, case-insensitive) in the caller's
 * organization, or 404.
 */
export async function findHubService(db: Db, req: Request): Promise<HubService> {
  const key = req.params.service as string;
  const { organizationId } = authOf(req);
  const where = isUuid(key) ? { id: key.toLowerCase() } : { nameKey: hubNameKey(key) };
  const found = await db.hubService.findFirst({ where: { ...where, organizationId } });
  if (!found) throw notFound('service', key);
  return found;
}

/** The version a path names (`:version`, id or name) of that service, or 404. */
export async function findHubVersion(db: Db, req: Request): Promise<{ service: HubService; version: HubVersion }> {
  const service = await findHubService(db, req);
  const key = req.params.version as string;
  const where = isUuid(key) ? { id: key.toLowerCase() } : { name: key };
  const version = await db.hubVersion.findFirst({ where: { ...where, serviceId: service.id } });
  if (!version) throw notFound('version', key);
  return { service, version };
}
