import { stateFromStored, type DeclarativeState, type StoredEntities } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';
import { aclShape, basicAuthShape, consumerShape, keyAuthShape, pluginShape, routeShape, serviceShape } from '../snapshot/entity-rows';

const ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/**
 * Reads every gateway entity of a runtime group, in the snapshot's shapes,
 * inside the caller's transaction (so a sync plans against exactly what it
 * then changes), and answers it as a declarative state.
 */
export async function readGroupState(tx: Prisma.TransactionClient, runtimeGroupId: string): Promise<DeclarativeState> {
  const where = { runtimeGroupId };
  const stored = {
    services: (await tx.service.findMany({ where, orderBy: ORDER })).map(serviceShape),
    routes: (await tx.route.findMany({ where, orderBy: ORDER })).map(routeShape),
    consumers: (await tx.consumer.findMany({ where, orderBy: ORDER })).map(consumerShape),
    plugins: (await tx.plugin.findMany({ where, orderBy: ORDER })).map(pluginShape),
    keyauth_credentials: (await tx.keyAuthCredential.findMany({ where, orderBy: ORDER })).map(keyAuthShape),
    basicauth_credentials: (await tx.basicAuthCredential.findMany({ where, orderBy: ORDER })).map(basicAuthShape),
    acls: (await tx.acl.findMany({ where, orderBy: ORDER })).map(aclShape),
  };
  return stateFromStored(stored as unknown as StoredEntities);
}
