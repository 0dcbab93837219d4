import pino from 'pino';

/** Structured logs: one JSON line per event, with an `event` field naming it. */
export type Logger = pino.Logger;

/** Creates the data plane's logger; secrets that might end up in a log object are redacted. */
export function createLogger(level = 'info'): Logger {
  return pino({
    name: 'data-plane',
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['key', '*.key', 'authorization', '*.authorization', 'cert_key'], censor: '[redacted]' },
  });
}
