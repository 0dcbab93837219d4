import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import { LogQueue } from '../log-serializer/queue';
import { countLoss } from '../log-serializer/loss-metrics';
import { batchSender } from './send';
import type { HttpLogConfig } from './schema';

interface Prepared {
  queue: LogQueue;
  entities: PrepareEnv['entities'];
}

/**
 * One queue per plugin instance and config, kept across config applies
 * while the instance keeps the same config (entries waiting survive a
 * swap); the queue of a removed or changed instance stops taking entries
 * and finishes sending what it holds.
 */
function queueFor(conf: HttpLogConfig, env: PrepareEnv): LogQueue {
  const queues = env.runtime.singleton('http-log:queues', () => {
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
    const name = conf.queue.name ?? `http-log ${env.pluginId}`;
    q = { pluginId: env.pluginId, queue: new LogQueue(name, conf.queue, batchSender(conf), env.runtime.log, (n) => countLoss(env.runtime, 'http-log', n)) };
    queues.set(key, q);
  }
  return q.queue;
}

/**
 * http-log (priority 12, Kong's): in the log phase, serializes the request
 * (Kong's fields) and queues it; the queue sends batches in the background.
 */
export const httpLogHandler: PluginHandler<HttpLogConfig, Prepared> = {
  name: 'http-log',
  priority: 12,
  prepare(conf, env) {
    return { queue: queueFor(conf, env), entities: env.entities };
  },
  log(ctx, p) {
    p.queue.add(JSON.stringify(serializeRequest(ctx, p.entities)));
  },
};
