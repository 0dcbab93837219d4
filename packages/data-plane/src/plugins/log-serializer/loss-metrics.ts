import type { MetricFamily } from '../../status/metrics';
import type { PluginRuntime } from '../runtime';

/** Log entries lost by plugin name, for the life of the DP process (one map per PluginRuntime). */
export function logLossTotals(runtime: PluginRuntime): Map<string, number> {
  return runtime.singleton('log-plugins:dropped', () => new Map<string, number>());
}

/** Adds `n` lost entries of `plugin` to the DP's totals. */
export function countLoss(runtime: PluginRuntime, plugin: string, n: number): void {
  const totals = logLossTotals(runtime);
  totals.set(plugin, (totals.get(plugin) ?? 0) + n);
}

/** `gatehouse_log_entries_dropped_total{plugin}` for the DP's `/metrics`. */
export function logLossMetrics(runtime: PluginRuntime): MetricFamily[] {
  const totals = logLossTotals(runtime);
  if (totals.size === 0) return [];
  return [
    {
      name: 'gatehouse_log_entries_dropped_total',
      help: 'Log entries the log plugins (http-log, file-log, tcp-log, udp-log, syslog) could not deliver.',
      type: 'counter',
      samples: [...totals].map(([plugin, value]) => ({ labels: { plugin }, value })),
    },
  ];
}
