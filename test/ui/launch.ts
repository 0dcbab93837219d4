import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/processes';

/** A launch script running under bash, as a user would run it on a host. */
export interface RunningScript {
  child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `script` with bash in its own process group, with `env` on top of
 * this process's environment (the GATEHOUSE_* overrides a user would set).
 */
export function runScript(script: string, env: Record<string, string>): RunningScript {
  const dir = tempDir('gatehouse-script-');
  const file = path.join(dir, 'launch.sh');
  fs.writeFileSync(file, script, { mode: 0o700 });
  const child = spawn('bash', [file], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const chunks: string[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => chunks.join('').split('\n').slice(-40).join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        // The whole group: the script execs the data plane, which may have children of its own.
        process.kill(-child.pid, 'SIGTERM');
        const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Retries `fn` until it answers something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${typeof last === 'object' && 'message' in last ? String(last.message) : JSON.stringify(last)}` : ''}`,
  );
}
