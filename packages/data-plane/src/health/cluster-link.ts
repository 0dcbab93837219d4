import type { UpstreamHealthReport } from '@gatehouse/protocol';
import type { ClusterClient } from '../cluster/client';

/** Where a DP's health comes from: its own checks (health/checkers.ts) or, in a worker cluster's primary, its workers' (health/worker-health.ts). */
export interface HealthSource {
  report(): UpstreamHealthReport[];
  onChange(fn: () => void): () => void;
  override(upstreamId: string, target: string, healthy: boolean): unknown;
}

/** How long a burst of changes is gathered into one `health` message. */
const REPORT_DELAY_MS = 200;

/**
 * Health over the cluster connection (docs/CLUSTER.md): the whole picture
 * in a `health` message after each connection and shortly after it
 * changes; the CP's `health_override` applied to the target it names.
 */
export function linkHealthToCluster(client: ClusterClient, checkers: HealthSource): () => void {
  let timer: NodeJS.Timeout | undefined;
  const send = (): void => {
    timer = undefined;
    client.send({ type: 'health', upstreams: checkers.report() });
  };
  const soon = (): void => {
    timer ??= setTimeout(send, REPORT_DELAY_MS);
  };
  const offConnected = client.onConnected(send);
  const offChange = checkers.onChange(soon);
  const offOverride = client.on('health_override', (m) => {
    checkers.override(m.upstream_id, m.target, m.healthy);
  });
  return () => {
    clearTimeout(timer);
    offConnected();
    offChange();
    offOverride();
  };
}
