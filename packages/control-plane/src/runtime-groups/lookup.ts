import type { Request } from 'express';
import { authOf } from '../auth/context';
import type { Db } from '../database/client';
import type { RuntimeGroup } from '../generated/prisma/client';
import { notFound } from '../http/api-error';
import { keyWhere } from '../http/entity-key';

/**
 * The runtime group a path names (`:rg`, an id or a name) within the caller's
 * organization, or 404 `not_found`. Every route under
 * `/runtime-groups/:rg/…` starts with this, which is what keeps one
 * organization (and one group) from reaching another's entities.
 */
export async function findRuntimeGroup(db: Db, req: Request, key = req.params.rg as string): Promise<RuntimeGroup> {
  const { organizationId } = authOf(req);
  const where = keyWhere(key, 'name');
  const group = where ? await db.runtimeGroup.findFirst({ where: { ...where, organizationId } }) : null;
  if (!group) throw notFound('runtime group', key);
  return group;
}
