import { spawn } from 'node:child_process';
import { freePort } from '../../support/processes';

/** A throwaway redis-server on a free port, without persistence. */
export interface TestRedis {
  port: number;
  stop(): Promise<void>;
}

/** Starts /usr/bin/redis-server and resolves once it accepts connections (10 s at most); with `requirepass`, clients must AUTH. */
export async function startRedis(opts: { requirepass?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const auth = opts.requirepass === undefined ? [] : ['--requirepass', opts.requirepass];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${out}`));
    });
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
