import { validatePlugin } from '@gatehouse/data-plane/plugin-schemas';
import { ApiError, schemaViolation } from '../../http/api-error';
import type { EntityHooks } from '../entity';

/**
 * Plugins: `config` is checked against the named plugin's own schema, which
 * fills Kong's defaults (stored); one plugin name is configured once per
 * service/route/consumer combination, a rule no unique index expresses
 * (nulls are distinct to PostgreSQL).
 */
export const pluginHooks: EntityHooks = {
  // The plugin's own schema checks `config` and fills Kong's defaults, which are stored.
  prepare(input) {
    const checked = validatePlugin(input as { name: string; config: unknown; consumer?: unknown; route?: unknown; service?: unknown });
    if (!checked.ok) throw schemaViolation(checked.fields);
    return Promise.resolve({ input: { ...input, config: checked.config } });
  },
  async check(tx, runtimeGroupId, data, excludeId) {
    const clash = await tx.plugin.findFirst({
      where: {
        runtimeGroupId,
        name: data.name as string,
        serviceId: (data.serviceId as string | null) ?? null,
        routeId: (data.routeId as string | null) ?? null,
        consumerId: (data.consumerId as string | null) ?? null,
        ...(excludeId ? { NOT: { id: excludeId } } : {}),
      },
    });
    if (clash) {
      throw new ApiError(
        'unique_violation',
        `plugin '${String(data.name)}' is already configured for this service/route/consumer combination (id ${clash.id})`,
        {
          name: 'already configured for this scope',
        },
      );
    }
  },
};
