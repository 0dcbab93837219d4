import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import { countLoss } from '../log-serializer/loss-metrics';
import { LossCounter } from '../log-serializer/stream-writer';
import { TcpLogConnection } from './connection';
import type { TcpLogConfig } from './schema';

interface Prepared {
  conn: TcpLogConnection;
  entities: PrepareEnv['entities'];
}

/**
 * tcp-log (priority 7, Kong's): each entry is sent as a JSON line on a kept
 * connection per plugin instance and config (the previous one is closed
 * when the config changes or the instance leaves).
 */
export const tcpLogHandler: PluginHandler<TcpLogConfig, Prepared> = {
  name: 'tcp-log',
  priority: 7,
  prepare(conf, env) {
    const conns = env.runtime.singleton('tcp-log:connections', () => {
      const map = new Map<string, { pluginId: string; conn: TcpLogConnection }>();
      env.runtime.onSwap((live) => {
        for (const [k, c] of map)
          if (!live.pluginIds.has(c.pluginId)) {
            c.conn.close();
            map.delete(k);
          }
      });
      return map;
    });
    const key = `${env.pluginId}\u0000${JSON.stringify(conf)}`;
    let entry = conns.get(key);
    if (entry === undefined) {
      for (const [k, c] of conns) if (c.pluginId === env.pluginId) conns.delete(k);
      const loss = env.runtime.singleton('tcp-log:loss', () => new LossCounter('tcp-log', env.runtime.log, (n) => countLoss(env.runtime, 'tcp-log', n)));
      entry = { pluginId: env.pluginId, conn: new TcpLogConnection(conf, loss) };
      conns.set(key, entry);
    }
    return { conn: entry.conn, entities: env.entities };
  },
  log(ctx, p) {
    p.conn.write(`${JSON.stringify(serializeRequest(ctx, p.entities))}\n`);
  },
};
