import type { PrepareEnv } from '../types';
import type { LogQueue, BatchSender } from '../log-serializer/queue';
import { instanceQueue } from '../log-serializer/instance-queue';
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
  return instanceQueue('opentelemetry', conf, env, () => sender(conf, endpoint));
}
