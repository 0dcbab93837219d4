import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFileDurableSync } from '@gatehouse/protocol/node';
import type { Logger } from '../logging';
import { isAlive, startToken } from './process-probe';

/** The file in the data directory that names the control plane holding it. */
export const LOCK_FILE = 'control-plane.pid';

/** The data directory belongs to a control plane that is still running. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data directory ${dataDir} is in use by another Gatehouse control plane (pid ${pid}); stop it or set GATEHOUSE_DATA_DIR`);
    this.name = 'DataDirInUseError';
  }
}

/** A held data directory; `release` gives it up (only if the file is still this process's). */
export interface DataDirLock {
  release(): void;
}

interface Holder {
  pid: number;
  start?: string;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    return typeof value.pid === 'number' ? { pid: value.pid, start: typeof value.start === 'string' ? value.start : undefined } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A holder is live when its pid runs and is the very process that wrote the
 * file: same start token, so a reused pid (after a reboot, or in a new
 * container where every CP is pid 1) is not mistaken for it. When the system
 * cannot tell start times, a running pid counts as live: refusing to start
 * is recoverable, two CPs on one database directory are not.
 */
function isLive(holder: Holder): boolean {
  if (holder.pid === process.pid || !isAlive(holder.pid)) return false;
  const token = startToken(holder.pid);
  return holder.start === undefined || token === undefined || token === holder.start;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Takes `<dataDir>/control-plane.pid` for this process, or throws
 * DataDirInUseError when a live control plane holds it. A file left by a
 * process that is gone (kill -9, power cut) is taken over. The file is
 * created durably and atomically (a hard link never replaces), so of two
 * control planes starting at once exactly one wins; a stale file is moved
 * aside before it is judged removed, so a fresh one written meanwhile by a
 * racing start is put back, not deleted.
 */
export function acquireDataDirLock(dataDir: string, log: Logger): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, start: startToken(process.pid) });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createFileDurableSync(file, mine, { mode: 0o644 })) {
      return {
        release() {
          // Never remove a file another process has since taken over.
          if (readOrUndefined(file) === mine) fs.rmSync(file, { force: true });
        },
      };
    }
    const existing = readOrUndefined(file);
    if (existing === undefined) continue;
    const holder = parseHolder(existing);
    if (holder && isLive(holder)) throw new DataDirInUseError(dataDir, holder.pid);
    const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readOrUndefined(aside);
    if (moved !== existing) {
      // A racing start replaced the stale file between our read and the rename: give its file back.
      try {
        fs.linkSync(aside, file);
      } catch {
        // It has been taken again meanwhile; the next attempt judges that holder.
      }
    } else {
      log.warn({ event: 'data_dir_stale_lock', pid: holder?.pid }, `taking over ${file} from a control plane that is gone`);
    }
    fs.rmSync(aside, { force: true });
  }
  throw new Error(`could not take ${file}: it keeps changing (control planes starting at once on one data directory?)`);
}
