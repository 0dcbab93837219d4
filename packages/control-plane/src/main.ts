import { SettingsError } from '@gatehouse/protocol/node';
import { loadCpSettings } from './config/settings';
import { createLogger } from './logging';
import { startControlPlane } from './server';
import { describeFailure } from './start-failure';

/** `npm start`: the control plane. Exits non-zero with one clear line on a bad setting or any start-up failure. */
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
  let cp;
  try {
    cp = await startControlPlane(settings, log);
  } catch (err) {
    // Whatever was thrown (an Error, a string, undefined), the operator reads its cause.
    log.fatal({ event: 'start_failed', err: err instanceof Error ? err : undefined }, `start failed: ${describeFailure(err)}`);
    process.exit(1);
  }
  const running = cp;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal });
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ event: 'stop_failed', err: err instanceof Error ? err : undefined }, `stop failed: ${describeFailure(err)}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // Before the logger exists (or if it failed): a plain line on stderr.
  console.error(`gatehouse control plane: start failed: ${describeFailure(err)}`);
  process.exit(1);
});
