/** The data plane's parts, for the cluster client, analytics, plugins and tests. */
export { startDataPlane, type DataPlane } from './data-plane';
export { loadDpSettings, dpSettingsSchema, type DpSettings } from './settings';
export { createLogger, type Logger } from './logging';
export { Engine, type ConfigMeta } from './engine/engine';
export type { CompiledConfig, CompiledRoute, CompiledService } from './engine/compiled';
export { ConfigCache, type CachedConfig } from './cache/config-cache';
export { NodeStatus, type ControlPlaneState } from './status/node-status';
export { MetricsRegistry, type MetricFamily, type MetricsCollector } from './status/metrics';
export { RequestContext } from './proxy/request-context';
export type { RequestObserver } from './proxy/respond';
export type { Router, RouterRoute, RouteRequest, RouteMatch } from './router/types';
export { DP_VERSION } from './version';
