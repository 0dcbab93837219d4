import { gatewayConfig, issuesToFields, type GatewayConfig } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import { aclShape, basicAuthShape, consumerShape, keyAuthShape, pluginShape, routeShape, serviceShape } from './entity-rows';
import { findInconsistencies } from './consistency';

/** A config the database holds but that cannot be served (schema or reference problems). */
export class InvalidSnapshotError extends Error {
  constructor(
    readonly runtimeGroupId: string,
    readonly problems: string[],
  ) {
    super(`the config of runtime group ${runtimeGroupId} is not consistent: ${problems.slice(0, 5).join('; ')}`);
  }
}

/** A runtime group's config as read at one instant, with the version it had then. */
export interface BuiltConfig {
  version: number;
  config: GatewayConfig;
}

const ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/**
 * Reads a runtime group's whole config in one REPEATABLE READ transaction, so
 * the entities and `config_version` come from the same instant, then checks it
 * against the protocol schema and for dangling references. Answers undefined
 * when the group does not exist; throws InvalidSnapshotError for a config
 * that must not be served. Rows are ordered (oldest first, then id) so equal
 * contents always hash equally.
 */
export async function buildGroupConfig(db: Db, runtimeGroupId: string): Promise<BuiltConfig | undefined> {
  const where = { runtimeGroupId };
  const [group, services, routes, plugins, consumers, keyAuths, basicAuths, acls] = await db.$transaction(
    [
      db.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { configVersion: true } }),
      db.service.findMany({ where, orderBy: ORDER }),
      db.route.findMany({ where, orderBy: ORDER }),
      db.plugin.findMany({ where, orderBy: ORDER }),
      db.consumer.findMany({ where, orderBy: ORDER }),
      db.keyAuthCredential.findMany({ where, orderBy: ORDER }),
      db.basicAuthCredential.findMany({ where, orderBy: ORDER }),
      db.acl.findMany({ where, orderBy: ORDER }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );
  if (!group) return undefined;
  const parsed = gatewayConfig.safeParse({
    _format_version: '3.0',
    services: services.map(serviceShape),
    routes: routes.map(routeShape),
    plugins: plugins.map(pluginShape),
    consumers: consumers.map(consumerShape),
    keyauth_credentials: keyAuths.map(keyAuthShape),
    basicauth_credentials: basicAuths.map(basicAuthShape),
    acls: acls.map(aclShape),
  });
  if (!parsed.success) {
    const fields = issuesToFields(parsed.error.issues);
    throw new InvalidSnapshotError(runtimeGroupId, Object.entries(fields).map(([f, why]) => `${f}: ${why}`));
  }
  const problems = findInconsistencies(parsed.data);
  if (problems.length > 0) throw new InvalidSnapshotError(runtimeGroupId, problems);
  return { version: Number(group.configVersion), config: parsed.data };
}
