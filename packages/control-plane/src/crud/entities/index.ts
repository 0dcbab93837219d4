import type { EntityDef } from '../entity';
import { consumers } from './consumers';
import { acls, basicAuth, keyAuth } from './credentials';
import { plugins } from './plugins';
import { routes } from './routes';
import { services } from './services';

export { services, routes, consumers, plugins, keyAuth, basicAuth, acls };

/** Every gateway entity the generic CRUD serves, in the order their routes are mounted. */
export const GATEWAY_ENTITIES: readonly EntityDef[] = [services, routes, consumers, plugins, keyAuth, basicAuth, acls];
