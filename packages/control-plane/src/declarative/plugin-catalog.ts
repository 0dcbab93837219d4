import { schemaCatalog, type PluginCatalog } from '@gatehouse/protocol';
import { PLUGIN_SCHEMAS } from '@gatehouse/data-plane/plugin-schemas';

const catalog = schemaCatalog(PLUGIN_SCHEMAS);

/**
 * The plugins a declarative file may configure on this control plane: the
 * plugin registry's schemas, so a file's plugin configs are checked and
 * defaulted exactly as the plugins API does it.
 */
export function controlPlaneCatalog(): PluginCatalog {
  return catalog;
}
