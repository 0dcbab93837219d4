import { createLogger as createGatehouseLogger, type Logger } from '@gatehouse/protocol/node';

export type { Logger };

/** Creates the data plane's logger; the redaction list is the one every Gatehouse process shares. */
export function createLogger(level = 'info'): Logger {
  return createGatehouseLogger('data-plane', level);
}
