import type { DataPlane } from '../data-plane';
import type { Logger } from '../logging';
import type { ClusterClient } from '../cluster';
import { Analytics } from './index';
import { seriesKey } from '../engine/live-entities';
import { requestRecordOf } from './from-context';

export interface AnalyticsSettings {
  enabled: boolean;
  flushIntervalMs: number;
  sendIntervalMs: number;
  maxSpoolBytes: number;
  dpDir: string;
}

/**
 * Hooks analytics into a running data plane: one observer call per finished
 * request (counts and Prometheus series), `/metrics` series, and delivery of
 * `stats` batches over the cluster connection with `stats_ack` handling and
 * a resend after every reconnection. The caller writes the last counts to
 * disk with `stop()` once the proxy listeners are closed (after `dp.stop()`),
 * so requests finishing during the drain are counted too.
 */
export function attachAnalytics(dp: DataPlane, cluster: ClusterClient, settings: AnalyticsSettings, log: Logger): Analytics {
  const analytics = new Analytics(settings, log);
  if (settings.enabled) {
    dp.observers.push((ctx) => analytics.record(requestRecordOf(ctx)));
    dp.sessionObservers.push((r) => analytics.record(r));
    dp.metrics.register(
      analytics.metrics.collector((kind, id) => {
        const compiled = dp.engine.compiled;
        return (kind === 'service' ? compiled?.services.get(id)?.name : compiled?.routes.get(id)?.name) ?? undefined;
      }),
    );
    // Series of removed routes and services go after one more scrape, so config churn does not grow them.
    dp.engine.onSwap((_next, live) => analytics.metrics.retainOnly((service, route) => live.seriesById.has(seriesKey(service, route))));
  }
  const shipper = analytics.connect({ connected: () => cluster.connected, send: (m) => cluster.send(m) });
  cluster.on('stats_ack', (m) => shipper.onAck(m.batch_id, m.refused));
  cluster.onConnected(() => shipper.onConnected());
  return analytics;
}
