import path from 'node:path';
import type { DataPlane } from '../data-plane';
import type { Logger } from '../logging';
import type { DpSettings } from '../settings';
import type { AfterApplyStep } from '../snapshot/after-apply';
import { DP_VERSION } from '../version';
import { ClusterClient } from './client';

/** `host:port` for a URL authority: an IPv6 host goes back into brackets. */
function authority(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * Builds the cluster client from the DP settings and the running data plane,
 * starts it, and registers its shutdown (close the connection before the
 * listeners close). `afterApply` is what must be done, in order, before a
 * snapshot is answered `applied` (main.ts: workers serving it, then the
 * cache written). Answers the client so other modules can use its seam.
 */
export function startClusterClient(settings: DpSettings, dp: DataPlane, log: Logger, afterApply: readonly AfterApplyStep[]): ClusterClient {
  const client = new ClusterClient({
    controlPlane: authority(settings.GATEHOUSE_CLUSTER_CONTROL_PLANE),
    serverName: settings.GATEHOUSE_CLUSTER_SERVER_NAME,
    tls: {
      certPath: path.resolve(settings.GATEHOUSE_CLUSTER_CERT),
      keyPath: path.resolve(settings.GATEHOUSE_CLUSTER_CERT_KEY),
      caPath: settings.GATEHOUSE_CLUSTER_CA ? path.resolve(settings.GATEHOUSE_CLUSTER_CA) : undefined,
      dpDir: path.resolve(settings.GATEHOUSE_DP_DIR),
    },
    nodeId: dp.nodeId,
    version: DP_VERSION,
    plugins: () => dp.engine.pluginNames,
    engine: dp.engine,
    afterApply,
    status: dp.status,
    log,
  });
  dp.onStop(() => client.stop());
  client.start();
  return client;
}
