import { hubNameKey } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';
import type { ApplyScope } from './apply';

/** The tag Konnect puts on a gateway service that implements a Service Hub version. */
export const KONNECT_SERVICE_TAG = '_KonnectService:';

/**
 * Links gateway services a sync created to the Service Hub: a new service
 * tagged `_KonnectService:<name>` implements the oldest version of the Service
 * Hub service of that name that lives in this runtime group and has no
 * implementation yet. (Services the sync updates keep their id, and so their
 * link, without this.) Answers how many it linked.
 */
export async function linkKonnectServices(tx: Prisma.TransactionClient, scope: ApplyScope, createdServiceIds: string[]): Promise<number> {
  if (createdServiceIds.length === 0) return 0;
  const created = await tx.service.findMany({ where: { id: { in: createdServiceIds } }, select: { id: true, tags: true } });
  let linked = 0;
  for (const service of created) {
    const tag = service.tags.find((t) => t.startsWith(KONNECT_SERVICE_TAG));
    if (!tag) continue;
    const nameKey = hubNameKey(tag.slice(KONNECT_SERVICE_TAG.length));
    const version = await tx.hubVersion.findFirst({
      where: { runtimeGroupId: scope.runtimeGroupId, gatewayServiceId: null, service: { organizationId: scope.organizationId, nameKey } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    if (!version) continue;
    await tx.hubVersion.update({ where: { id: version.id }, data: { gatewayServiceId: service.id } });
    linked++;
  }
  return linked;
}
