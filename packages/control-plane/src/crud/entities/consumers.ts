import { consumer, consumerInput } from '@gatehouse/protocol';
import type { Delegate, EntityDef } from '../entity';

/** Consumers: `username` and `custom_id` each unique in the runtime group; looked up by username. */
export const consumers: EntityDef = {
  path: 'consumers',
  label: 'consumer',
  model: (tx) => tx.consumer as unknown as Delegate,
  input: consumerInput,
  output: consumer,
  endpointKey: 'username',
  foreignKeys: [],
  nesting: [],
  topLevel: true,
  updatable: true,
};
