import { SettingsError } from '@gatehouse/protocol/node';
import { loadCpSettings } from './config/settings';
import { createLogger } from './logging';
import { startControlPlane } from './server';

/** `npm start`: the control plane. Exits with one clear line on a bad setting. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadCpSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`gatehouse control plane: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger('control-plane', settings.GATEHOUSE_LOG_LEVEL);
  const cp = await startControlPlane(settings, log).catch((err: Error) => {
    log.fatal({ event: 'start_failed', err }, err.message);
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal });
    cp.stop()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        log.error({ event: 'stop_failed', err });
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
