/** One finished span as the handler records it (times in Unix nanoseconds, as strings). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 2 server, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, string | number>;
  /** OTLP status code: 0 unset, 2 error. */
  status: number;
}

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number };

function value(v: string | number): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const attrs = (o: Record<string, string | number>) => Object.entries(o).map(([key, v]) => ({ key, value: value(v) }));

/**
 * An OTLP/HTTP JSON ExportTraceServiceRequest (opentelemetry-proto's JSON
 * mapping: ids as hex, 64-bit integers as strings) for these spans, under one
 * resource with `service.name` `kong` and the configured attributes.
 */
export function exportRequest(spans: readonly SpanRecord[], resource: Record<string, string>): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs({ 'service.name': 'kong', 'service.instance.id': process.pid.toString(), ...resource }) },
        scopeSpans: [
          {
            scope: { name: 'kong-internal', version: '0.1.0' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId !== '' ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: s.startTimeUnixNano,
              endTimeUnixNano: s.endTimeUnixNano,
              attributes: attrs(s.attributes),
              status: { code: s.status },
            })),
          },
        ],
      },
    ],
  };
}
