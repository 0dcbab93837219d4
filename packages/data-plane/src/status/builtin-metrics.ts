import type { Engine } from '../engine/engine';
import type { MetricFamily, MetricsCollector } from './metrics';
import type { NodeStatus } from './node-status';

/** Process metrics with the names Prometheus client libraries use, so stock dashboards work. */
export function processMetrics(): MetricsCollector {
  return () => {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    return [
      {
        name: 'process_cpu_seconds_total',
        help: 'Total user and system CPU time spent in seconds.',
        type: 'counter',
        samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
      },
      { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', samples: [{ value: mem.rss }] },
      {
        name: 'process_start_time_seconds',
        help: 'Start time of the process since unix epoch in seconds.',
        type: 'gauge',
        samples: [{ value: Math.floor((Date.now() - process.uptime() * 1000) / 1000) }],
      },
      { name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', type: 'gauge', samples: [{ value: mem.heapUsed }] },
    ];
  };
}

/** What config the node serves and whether it reaches its control plane. */
export function configMetrics(engine: Engine, status: NodeStatus): MetricsCollector {
  return () => {
    const c = engine.compiled;
    const families: MetricFamily[] = [
      { name: 'gatehouse_config_loaded', help: '1 when a config is loaded and served.', type: 'gauge', samples: [{ value: c ? 1 : 0 }] },
      { name: 'gatehouse_config_version', help: 'Version of the config being served (0 when none).', type: 'gauge', samples: [{ value: c?.version ?? 0 }] },
      {
        name: 'gatehouse_config_last_applied_timestamp_seconds',
        help: 'When the config being served was applied.',
        type: 'gauge',
        samples: [{ value: c ? Math.floor(c.appliedAt / 1000) : 0 }],
      },
      { name: 'gatehouse_config_routes', help: 'Routes in the config being served.', type: 'gauge', samples: [{ value: c?.routes.size ?? 0 }] },
      { name: 'gatehouse_config_services', help: 'Gateway services in the config being served.', type: 'gauge', samples: [{ value: c?.services.size ?? 0 }] },
      {
        name: 'gatehouse_control_plane_connected',
        help: '1 while connected to the control plane.',
        type: 'gauge',
        samples: [{ value: status.controlPlane === 'connected' ? 1 : 0 }],
      },
    ];
    if (c)
      families.push({
        name: 'gatehouse_config_hash_info',
        help: 'The hash of the config being served, as a label.',
        type: 'gauge',
        samples: [{ labels: { hash: c.hash }, value: 1 }],
      });
    return families;
  };
}
