import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import type { LogQueue } from '../log-serializer/queue';
import { instanceQueue } from '../log-serializer/instance-queue';
import { countLoss } from '../log-serializer/loss-metrics';
import { batchSender } from './send';
import type { HttpLogConfig } from './schema';

interface Prepared {
  queue: LogQueue;
  entities: PrepareEnv['entities'];
}

/** The instance's queue (log-serializer/instance-queue.ts); its losses are counted on /metrics. */
function queueFor(conf: HttpLogConfig, env: PrepareEnv): LogQueue {
  return instanceQueue(
    'http-log',
    conf,
    env,
    () => batchSender(conf),
    (n) => countLoss(env.runtime, 'http-log', n),
  );
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
