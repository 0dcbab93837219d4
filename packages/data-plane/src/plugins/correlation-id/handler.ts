import { randomUUID } from 'node:crypto';
import type { PluginHandler } from '../types';
import type { CorrelationIdConfig } from './schema';

interface Prepared {
  header: string;
  generate: () => string;
  echo: boolean;
}

const ECHO_KEY = 'correlation-id:value';

/** One id per process for `uuid#counter`, as Kong keeps one per worker. */
const processUuid = randomUUID();
let counter = 0;

const GENERATORS: Record<CorrelationIdConfig['generator'], () => string> = {
  uuid: () => randomUUID(),
  'uuid#counter': () => `${processUuid}#${++counter}`,
  // Kong's tracker joins server address, port, pid, connection and time; this keeps its shape with what a process knows.
  tracker: () => `${process.pid}-${++counter}-${(Date.now() / 1000).toFixed(3)}`,
};

/**
 * correlation-id (priority 100001): gives a request an id header unless the
 * client sent one, and echoes it to the client with `echo_downstream`.
 */
export const correlationIdHandler: PluginHandler<CorrelationIdConfig, Prepared> = {
  name: 'correlation-id',
  priority: 100001,
  prepare(conf) {
    return { header: conf.header_name.toLowerCase(), generate: GENERATORS[conf.generator], echo: conf.echo_downstream };
  },
  access(ctx, p) {
    let id = ctx.header(p.header);
    if (id === undefined || id === '') {
      id = p.generate();
      ctx.upstreamHeaders[p.header] = id;
    }
    if (p.echo) ctx.set(ECHO_KEY, id);
  },
  headerFilter(ctx, p) {
    if (!p.echo) return;
    const id = ctx.get(ECHO_KEY);
    if (typeof id === 'string') ctx.responseHeaders[p.header] = id;
  },
};
