import { schemaCatalog, type PluginCatalog } from '@gatehouse/protocol';
import { PLUGIN_SCHEMAS } from '@gatehouse/data-plane/plugin-schemas';

/**
 * The plugins `validate` checks a file against offline: the same schemas the
 * control plane and data plane use (only the schemas are loaded, no handler).
 */
export const cliPluginCatalog: PluginCatalog = schemaCatalog(PLUGIN_SCHEMAS);
