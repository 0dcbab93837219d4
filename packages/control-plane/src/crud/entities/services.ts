import { service, serviceInput } from '@gatehouse/protocol';
import type { Delegate, EntityDef } from '../entity';
import { routes } from './routes';

/** Gateway services (Kong's Service): name unique in the runtime group; `url` or protocol/host/port/path. */
export const services: EntityDef = {
  path: 'services',
  label: 'service',
  model: (tx) => tx.service as unknown as Delegate,
  input: serviceInput,
  output: service,
  endpointKey: 'name',
  foreignKeys: [],
  nesting: [],
  topLevel: true,
  updatable: true,
  // As in Kong: a service its routes still point at cannot be deleted (its plugins go with it).
  restrictDelete: [{ entity: () => routes, column: 'serviceId' }],
};
