import type { DataPlane } from '../data-plane';
import type { Logger } from '../logging';
import type { ClusterClient } from '../cluster';
import { Analytics } from './index';
import { requestRecordOf } from './from-context';

export interface AnalyticsSettings {
  enabled: boolean;
  flushIntervalMs: number;
  maxSpoolBytes: number;
  dpDir: string;
}

/**
 * Hooks analytics into a running data plane: one observer call per finished
 * request (counts and Prometheus series), `/metrics` series, and delivery of
 * `stats` batches over the cluster connection with `stats_ack` handling and
 * a resend after every reconnection. On stop, the last counts go to disk.
 */
export function attachAnalytics(dp: DataPlane, cluster: ClusterClient, settings: AnalyticsSettings, log: Logger): Analytics {
  const analytics = new Analytics(settings, log);
  if (settings.enabled) {
    dp.observers.push((ctx) => analytics.record(requestRecordOf(ctx)));
    dp.metrics.register(
      analytics.metrics.collector((kind, id) => {
        const compiled = dp.engine.compiled;
        return (kind === 'service' ? compiled?.services.get(id)?.name : compiled?.routes.get(id)?.name) ?? undefined;
      }),
    );
  }
  const shipper = analytics.connect({ connected: () => cluster.connected, send: (m) => cluster.send(m) });
  cluster.on('stats_ack', (m) => shipper.onAck(m.batch_id, m.refused));
  cluster.onConnected(() => shipper.onConnected());
  dp.onStop(() => analytics.stop());
  return analytics;
}
