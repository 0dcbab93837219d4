/**
 * The plugin framework as the proxy uses it: compile a snapshot's plugins
 * into per-route chains (`compilePlugins`), create one `PluginContext` per
 * request, and run the chain's phases on it. See docs/PLUGINS.md.
 */
export { compilePlugins, PluginConfigError, type PluginPlan } from './compile';
export { PluginChain } from './chain';
export { PluginContext, type RequestFacts, type PluginExit, type ConsumerInfo, type CredentialInfo } from './context';
export { PluginRuntime } from './runtime';
export { PLUGIN_NAMES } from './schemas';
export { prometheusMetrics } from './prometheus/handler';
