/** The data plane's side of the cluster protocol (CONTRACT.md §5). */
export { ClusterClient, type ClusterClientOptions } from './client';
export { startClusterClient } from './start';
export type { ClusterStatusSink } from './ports';
export { RENEW_BEFORE_MS } from './renewal';
