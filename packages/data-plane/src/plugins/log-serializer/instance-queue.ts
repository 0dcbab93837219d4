import type { PrepareEnv } from '../types';
import { LogQueue, type BatchSender } from './queue';
import type { QueueConfig } from './queue-schema';

interface Held {
  pluginId: string;
  queue: LogQueue;
}

/**
 * The queue of one plugin instance and config (Kong's `queue`), kept across
 * config applies while the instance keeps the same config (entries waiting
 * survive a swap); the queue of a removed or changed instance stops taking
 * entries and finishes sending what it holds. `plugin` names the store, and
 * the queue when its config gives no `name`.
 */
export function instanceQueue(
  plugin: string,
  conf: { queue: QueueConfig },
  env: PrepareEnv,
  send: () => BatchSender,
  onLoss?: (dropped: number) => void,
): LogQueue {
  const queues = env.runtime.singleton(`${plugin}:queues`, () => {
    const map = new Map<string, Held>();
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
    const name = conf.queue.name ?? `${plugin} ${env.pluginId}`;
    q = { pluginId: env.pluginId, queue: new LogQueue(name, conf.queue, send(), env.runtime.log, onLoss) };
    queues.set(key, q);
  }
  return q.queue;
}
