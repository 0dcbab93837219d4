import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging';
import { childrenOf, commandLine, isAlive, waitForExit } from './process-probe';

/** How long an orphaned server gets for PostgreSQL's fast shutdown before it is killed. */
export const STALE_SHUTDOWN_MS = 15_000;
/** How long killed processes get to vanish. */
const KILL_WAIT_MS = 5_000;

/** True when `pid` runs the `postgres` binary on `databaseDir` (not some process that reused the pid). */
function isPostgresOf(pid: number, databaseDir: string): boolean {
  const argv = commandLine(pid);
  if (!argv?.[0]) return false;
  return path.basename(argv[0]) === 'postgres' && argv.includes(databaseDir);
}

/**
 * Clears what a previous control plane of this data directory left when it
 * died without stopping its embedded server. Call only while holding the
 * data directory (acquireDataDirLock), so no live control plane owns it:
 * - a server still running on `databaseDir` is an orphan: it gets SIGINT
 *   (PostgreSQL's fast shutdown: clients cut, a clean checkpoint), then
 *   SIGKILL for it and its children after STALE_SHUTDOWN_MS;
 * - a postmaster.pid whose process is gone, or is no PostgreSQL of this
 *   directory (a reused pid), is removed, since PostgreSQL refuses to start
 *   on a pid file whose pid runs.
 * Throws only if an orphan survives SIGKILL.
 */
export async function clearStalePostgres(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number(text.split('\n')[0]);
  if (isAlive(pid) && isPostgresOf(pid, databaseDir)) {
    log.warn({ event: 'postgres_orphan_stop', pid }, `stopping the embedded PostgreSQL (pid ${pid}) a previous control plane left running`);
    try {
      process.kill(pid, 'SIGINT');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ESRCH: it ended by itself meanwhile. Anything else (EPERM: another user's) we cannot fix.
      if (code !== 'ESRCH')
        throw new Error(`cannot stop the orphaned embedded PostgreSQL (pid ${pid}) on ${databaseDir} (${String(code)}); stop it by hand`, { cause: err });
    }
    let victims = [pid];
    if (!(await waitForExit([pid], STALE_SHUTDOWN_MS))) {
      log.warn({ event: 'postgres_orphan_kill', pid }, `the orphaned PostgreSQL did not shut down in ${STALE_SHUTDOWN_MS} ms; killing it`);
      // Listed while the postmaster still runs: once it is killed they are no longer its children.
      victims = [pid, ...childrenOf(pid)];
      for (const victim of victims) {
        try {
          process.kill(victim, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    if (!(await waitForExit(victims, KILL_WAIT_MS))) {
      throw new Error(`the orphaned embedded PostgreSQL (pid ${pid}) on ${databaseDir} does not exit; stop it by hand`);
    }
    log.info({ event: 'postgres_orphan_stopped', pid }, 'the orphaned embedded PostgreSQL has stopped');
  }
  // A fast shutdown removes its pid file; a kill or a crash leaves it.
  if (fs.existsSync(pidFile)) {
    log.warn({ event: 'postgres_stale_pid', pid }, 'removing a stale postmaster.pid');
    fs.rmSync(pidFile, { force: true });
  }
}
