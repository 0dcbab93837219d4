import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import { countLoss } from '../log-serializer/loss-metrics';
import { LossCounter } from '../log-serializer/stream-writer';
import { DatagramSender } from '../log-serializer/datagram';
import type { UdpLogConfig } from './schema';

interface Prepared {
  sender: DatagramSender;
  entities: PrepareEnv['entities'];
}

/** udp-log (priority 8, Kong's): each entry as one JSON datagram (no newline, as Kong). */
export const udpLogHandler: PluginHandler<UdpLogConfig, Prepared> = {
  name: 'udp-log',
  priority: 8,
  prepare(conf, env) {
    const loss = env.runtime.singleton('udp-log:loss', () => new LossCounter('udp-log', env.runtime.log, (n) => countLoss(env.runtime, 'udp-log', n)));
    return { sender: new DatagramSender(conf.host, conf.port, loss), entities: env.entities };
  },
  log(ctx, p) {
    p.sender.send(JSON.stringify(serializeRequest(ctx, p.entities)));
  },
};
