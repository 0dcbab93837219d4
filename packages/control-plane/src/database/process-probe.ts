import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * What the CP needs to know about another process on this host to judge a
 * data directory's leftovers (docs/ARCHITECTURE.md, "The embedded
 * PostgreSQL"): is it alive, is it the same process that wrote a pid down
 * (pids are reused), what does it run, what are its children. Linux answers
 * from /proc (slim container images have no `ps`); other systems from `ps`.
 */

const LINUX = process.platform === 'linux';

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function linuxStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function ps(args: string[]): string | undefined {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** True while `pid` runs. A zombie (exited, not yet reaped) does not count: it holds no port, file or memory. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. PostgreSQL's `postgres` user).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!LINUX) return true;
  const stat = linuxStat(pid);
  return stat !== undefined && stat[0] !== 'Z';
}

/**
 * A token that differs between two processes that had the same pid: the
 * start time (clock ticks since boot on Linux, `ps`'s start date elsewhere).
 * Undefined when the process is gone or the system cannot tell.
 */
export function startToken(pid: number): string | undefined {
  if (LINUX) return linuxStat(pid)?.[19];
  const started = ps(['-o', 'lstart=', '-p', String(pid)])?.trim();
  return started === '' ? undefined : started;
}

/** The process's argv (approximated by splitting on spaces where only `ps` can tell); undefined when it is gone. */
export function commandLine(pid: number): string[] | undefined {
  if (LINUX) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw.split('\0').filter((part) => part !== '');
    } catch {
      return undefined;
    }
  }
  const line = ps(['-o', 'command=', '-p', String(pid)])?.trim();
  return line ? line.split(/\s+/) : undefined;
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  if (LINUX) {
    const children: number[] = [];
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return children;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      if (linuxStat(Number(entry))?.[1] === String(pid)) children.push(Number(entry));
    }
    return children;
  }
  const children: number[] = [];
  for (const line of (ps(['-A', '-o', 'pid=,ppid=']) ?? '').split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (parent === pid && child !== undefined && child > 0) children.push(child);
  }
  return children;
}

/** Resolves true once none of `pids` is alive, false if some still are after `timeoutMs`. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
