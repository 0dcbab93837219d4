import { randomBytes } from 'node:crypto';

/** A W3C trace context (https://www.w3.org/TR/trace-context/): ids in lower-case hex. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a `traceparent` header; null when absent or invalid (all-zero ids, version ff, bad shape). */
export function parseTraceparent(value: string | undefined): TraceContext | null {
  if (value === undefined) return null;
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (m === null) return null;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId ?? '') || /^0+$/.test(spanId ?? '')) return null;
  return { traceId: traceId ?? '', spanId: spanId ?? '', sampled: (parseInt(flags ?? '0', 16) & 1) === 1 };
}

/** The `traceparent` value for a span of this trace. */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');
