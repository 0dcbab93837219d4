import type { PrepareEnv } from '../types';
import { LogQueue, type BatchSender } from '../log-serializer/queue';
import { exportRequest, type SpanRecord } from './otlp-json';
import type { OpentelemetryConfig } from './schema';

/** POSTs a batch of spans to `traces_endpoint` as one OTLP/HTTP JSON export. */
function sender(conf: OpentelemetryConfig, endpoint: string): BatchSender {
  const headers: Record<string, string> = { ...(conf.headers ?? {}), 'content-type': 'application/json' };
  const resource = conf.resource_attributes ?? {};
  return async (entries) => {
    const spans = entries.map((e) => JSON.parse(e) as SpanRecord);
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(exportRequest(spans, resource)),
      signal: AbortSignal.timeout(conf.connect_timeout + conf.send_timeout + conf.read_timeout),
    });
    await res.arrayBuffer();
    return res.ok;
  };
}

/**
 * The span queue of one plugin instance (Kong's `queue`, max_batch_size 200):
 * kept across config applies while the instance and its config stay the
 * same; a changed or removed instance's queue only finishes what it holds.
 */
export function spanQueue(conf: OpentelemetryConfig, endpoint: string, env: PrepareEnv): LogQueue {
  const queues = env.runtime.singleton('opentelemetry:queues', () => {
    const map = new Map<string, { pluginId: string; queue: LogQueue }>();
    env.runtime.onSwap((live) => {
      for (const [key, q] of map)
        if (!live.pluginIds.has(q.pluginId)) {
          q.queue.close();
          map.delete(key);
        }
    });
    return map;
  });
  const key = `${env.pluginId}\u0000${JSON.stringify(conf)}`;
  let q = queues.get(key);
  if (q === undefined) {
    for (const [k, other] of queues)
      if (other.pluginId === env.pluginId) {
        other.queue.close();
        queues.delete(k);
      }
    const name = conf.queue.name ?? `opentelemetry ${env.pluginId}`;
    q = { pluginId: env.pluginId, queue: new LogQueue(name, conf.queue, sender(conf, endpoint), env.runtime.log) };
    queues.set(key, q);
  }
  return q.queue;
}
