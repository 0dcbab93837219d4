/** The data plane's side of the cluster protocol (docs/CLUSTER.md; docs/DATA-PLANE.md, The cluster connection). */
export { ClusterClient, type ClusterClientOptions } from './client';
export { startClusterClient } from './start';
export type { ClusterStatusSink } from './ports';
export { RENEW_BEFORE_MS } from './renewal';
