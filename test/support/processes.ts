import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../packages/control-plane/src/database/embedded';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A process a test started, with its output kept for assertions and failure reports. */
export interface TestProcess {
  child: ChildProcess;
  /** Every line printed so far (stdout and stderr). */
  lines: string[];
  /** Resolves with the first JSON log line whose `event` is `event` (and that passes `match`). */
  waitForEvent(event: string, timeoutMs?: number, match?: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now. */
  kill(): Promise<void>;
}

/** Starts `node <script>` from the built packages with extra environment. */
export function startNode(script: string, env: Record<string, string | undefined>, args: string[] = []): TestProcess {
  return startCommand(process.execPath, [path.join(REPO_ROOT, script), ...args], env, script);
}

/** Starts any command (e.g. `bash launch.sh`) the way startNode does: output kept, JSON log events awaited. */
export function startCommand(command: string, commandArgs: string[], env: Record<string, string | undefined>, script = command): TestProcess {
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  const onData = (buf: Buffer): void => {
    for (const line of buf.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
    for (const w of waiters.slice()) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const parse = (line: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  return {
    child,
    lines,
    waitForEvent(event, timeoutMs = 30_000, match = () => true) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            const obj = parse(lines[seen]!);
            if (obj?.event === event && match(obj)) {
              cleanup();
              resolve(obj);
              return;
            }
          }
          if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`${script} exited (${child.exitCode}) before "${event}":\n${lines.slice(-30).join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for "${event}" from ${script}:\n${lines.slice(-30).join('\n')}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
        };
        waiters.push(check);
        child.once('exit', check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A fresh temporary directory, removed by the caller (or left for the OS). */
export function tempDir(prefix = 'gatehouse-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export { freePort };

/** A control plane started as its own process on a test database. */
export interface TestControlPlane extends TestProcess {
  url: string;
  adminPort: number;
  clusterPort: number;
  dataDir: string;
}

export const TEST_ADMIN_EMAIL = 'admin@example.test';
export const TEST_ADMIN_PASSWORD = 'correct-horse-battery';
/** The GATEHOUSE_SECRET_KEY test CPs run with (a test opening what a CP sealed uses it too). */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef';

/** Starts `packages/control-plane/dist/main.js` and waits until it is ready. */
export async function startControlPlane(
  opts: { databaseUrl?: string; env?: Record<string, string | undefined>; dataDir?: string; adminPort?: number; clusterPort?: number } = {},
): Promise<TestControlPlane> {
  // A restart passes the ports it had, so data planes find it where they left it.
  const adminPort = opts.adminPort ?? (await freePort());
  const clusterPort = opts.clusterPort ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDir('gatehouse-cp-');
  const proc = startNode('packages/control-plane/dist/main.js', {
    DATABASE_URL: opts.databaseUrl,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
    GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${clusterPort}`,
    GATEHOUSE_CLUSTER_ADVERTISE: `localhost:${clusterPort}`,
    GATEHOUSE_ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    GATEHOUSE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    GATEHOUSE_SECRET_KEY: TEST_SECRET_KEY,
    ...opts.env,
  });
  await proc.waitForEvent('cp_ready', 60_000);
  return { ...proc, url: `http://127.0.0.1:${adminPort}`, adminPort, clusterPort, dataDir };
}
