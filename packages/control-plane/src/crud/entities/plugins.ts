import { plugin, pluginInput } from '@gatehouse/protocol';
import { validatePlugin } from '@gatehouse/data-plane/plugin-schemas';
import { ApiError, schemaViolation } from '../../http/api-error';
import type { Delegate, EntityDef } from '../entity';
import { consumers } from './consumers';
import { routes } from './routes';
import { services } from './services';

/**
 * Plugin instances, scoped by `service`, `route` and `consumer` (each null
 * for "any"). As in Kong, one plugin name may be configured once per scope
 * combination; `instance_name` is unique in the runtime group. `config` is any
 * object here (the plugin registry checks it against the plugin's schema);
 * PATCH merges `config` key by key.
 */
export const plugins: EntityDef = {
  path: 'plugins',
  label: 'plugin',
  model: (tx) => tx.plugin as unknown as Delegate,
  input: pluginInput,
  output: plugin,
  endpointKey: 'instance_name',
  foreignKeys: [
    { field: 'service', column: 'serviceId', target: () => services },
    { field: 'route', column: 'routeId', target: () => routes },
    { field: 'consumer', column: 'consumerId', target: () => consumers },
  ],
  nesting: [
    { parent: () => services, field: 'service', inBody: true },
    { parent: () => routes, field: 'route', inBody: true },
    { parent: () => consumers, field: 'consumer', inBody: true },
  ],
  topLevel: true,
  updatable: true,
  deepMerge: ['config'],
  // The plugin's own schema checks `config` and fills Kong's defaults, which are stored.
  async prepare(input) {
    const checked = validatePlugin(input as { name: string; config: unknown; consumer?: unknown; route?: unknown; service?: unknown });
    if (!checked.ok) throw schemaViolation(checked.fields);
    return { input: { ...input, config: checked.config } };
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
      throw new ApiError('unique_violation', `plugin '${String(data.name)}' is already configured for this service/route/consumer combination (id ${clash.id})`, {
        name: 'already configured for this scope',
      });
    }
  },
};
