import os from 'node:os';
import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import { countLoss } from '../log-serializer/loss-metrics';
import { LossCounter } from '../log-serializer/stream-writer';
import { DatagramSender } from '../log-serializer/datagram';
import { FACILITIES, SEVERITIES, type SyslogConfig } from './schema';

interface Prepared {
  conf: SyslogConfig;
  sender: DatagramSender;
  entities: PrepareEnv['entities'];
  hostname: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164's TIMESTAMP: `Mmm dd hh:mm:ss`, the day space-padded, local time. */
function timestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()] ?? 'Jan'} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * syslog (priority 4, Kong's): the entry's severity is `server_errors_severity`
 * for a 5xx, `client_errors_severity` for a 4xx, else `successful_severity`;
 * it is sent only when at least as severe as `log_level`. The message is an
 * RFC 3164 datagram `<PRI>TIMESTAMP HOSTNAME kong: JSON` (PRI = facility * 8
 * + severity) to `syslog_host:syslog_port` over UDP.
 */
export const syslogHandler: PluginHandler<SyslogConfig, Prepared> = {
  name: 'syslog',
  priority: 4,
  prepare(conf, env) {
    const loss = env.runtime.singleton('syslog:loss', () => new LossCounter('syslog', env.runtime.log, (n) => countLoss(env.runtime, 'syslog', n)));
    return { conf, sender: new DatagramSender(conf.syslog_host, conf.syslog_port, loss), entities: env.entities, hostname: os.hostname() };
  },
  log(ctx, p) {
    const { conf } = p;
    const severity = ctx.status >= 500 ? conf.server_errors_severity : ctx.status >= 400 ? conf.client_errors_severity : conf.successful_severity;
    if (SEVERITIES[severity] > SEVERITIES[conf.log_level]) return;
    const pri = FACILITIES[conf.facility] * 8 + SEVERITIES[severity];
    p.sender.send(`<${pri}>${timestamp(new Date())} ${p.hostname} kong: ${JSON.stringify(serializeRequest(ctx, p.entities))}`);
  },
};
