import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../support/processes';

/** What one run of the built `gatehouse` printed, and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const CLI = path.join(REPO_ROOT, 'packages/cli/bin/gatehouse.js');

/**
 * Runs the built CLI as its own process (never in-process: exit codes,
 * stdout/stderr and file modes are what is being tested), with `env` added
 * to a clean environment and a bounded run time.
 */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) reject(new Error(`gatehouse ${args.join(' ')} did not exit normally: ${err?.message ?? ''}\n${stderr}`));
        else resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
