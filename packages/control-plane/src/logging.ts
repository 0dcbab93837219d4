import { createLogger as createGatehouseLogger, type Logger } from '@gatehouse/protocol/node';

export type { Logger };

/** Creates a control-plane logger; the redaction list is the one every Gatehouse process shares. */
export function createLogger(name: string, level = process.env.GATEHOUSE_LOG_LEVEL ?? 'info'): Logger {
  return createGatehouseLogger(name, level);
}
