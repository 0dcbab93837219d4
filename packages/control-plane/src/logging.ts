import pino from 'pino';

/** Structured logs: one JSON line per event, with an `event` field naming it. */
export type Logger = pino.Logger;

export function createLogger(name: string, level = process.env.GATEHOUSE_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'key', '*.key', 'authorization', '*.authorization'], censor: '[redacted]' },
  });
}
