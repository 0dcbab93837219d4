import { route, routeInput } from '@gatehouse/protocol';
import type { Delegate, EntityDef } from '../entity';
import { services } from './services';

/**
 * Routes (Kong's Route): name unique in the ORGANIZATION and case-sensitive
 * (a unique index on organization + name), reachable top-level and under
 * their service (`/services/{id}/routes`).
 */
export const routes: EntityDef = {
  path: 'routes',
  label: 'route',
  model: (tx) => tx.route as unknown as Delegate,
  input: routeInput,
  output: route,
  endpointKey: 'name',
  orgScoped: true,
  foreignKeys: [{ field: 'service', column: 'serviceId', target: () => services }],
  nesting: [{ parent: () => services, field: 'service', inBody: true }],
  topLevel: true,
  updatable: true,
};
