import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../e2e/support';
import { client, login, request } from '../support/api';
import { freePort, startControlPlane, startNode, tempDir, type TestProcess } from '../support/processes';
import { isAlive } from '../../packages/control-plane/src/database/process-probe';

/** The pid in the first line of the embedded server's postmaster.pid. */
function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The pid of the watchdog shell guarding `postgresPid` (its argv names that pid). */
function watchdogOf(postgresPid: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('gatehouse-postgres-watchdog') && argv.includes(String(postgresPid))) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

async function exited(proc: TestProcess): Promise<number | null> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) await new Promise((resolve) => proc.child.once('exit', resolve));
  return proc.child.exitCode;
}

/** Starts a holder of `dir` (embedded-postgres-holder.js) and answers it with its server's pid. */
async function hold(dir: string, watch: 'pdeathsig' | 'watchdog'): Promise<{ holder: TestProcess; postgresPid: number }> {
  const holder = startNode('test/faults/embedded-postgres-holder.js', {}, [dir, watch]);
  const ready = await holder.waitForEvent('postgres_ready', 60_000);
  return { holder, postgresPid: Number(ready.postgres_pid) };
}

/**
 * kill -9 of a control plane running the embedded PostgreSQL: its server
 * goes with it, the next start on the same data directory comes up with the
 * data intact, a server a dead CP left running is stopped at that start, and
 * a second CP on a directory a live CP holds is refused in one line
 * (docs/ARCHITECTURE.md, "The embedded PostgreSQL").
 */
describe('fault: kill -9 of a CP with the embedded PostgreSQL', () => {
  const started: TestProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
  });
  const embedded = { DATABASE_URL: undefined };

  it('takes its PostgreSQL down with it, restarts on the same data dir with the data intact, and refuses a second CP while it runs', async () => {
    const dataDir = tempDir('gatehouse-cp-kill-embedded-');
    const first = await startControlPlane({ dataDir, env: embedded });
    started.push(first);
    const api = client(first.url, await login(first.url));
    expect((await api.post('/v1/runtime-groups/default/services', { name: 'before-kill', url: 'http://before-kill.internal' })).status).toBe(201);
    const postgresPid = postmasterPid(dataDir);
    expect(isAlive(postgresPid)).toBe(true);

    // A second CP on the held data dir: refused, in one line naming the holder, before touching the database.
    const second = startNode('packages/control-plane/dist/main.js', {
      DATABASE_URL: undefined,
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${await freePort()}`,
      GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${await freePort()}`,
    });
    started.push(second);
    expect(await exited(second)).not.toBe(0);
    const refusal = `the data directory ${dataDir} is in use by another Gatehouse control plane (pid ${String(first.child.pid)}); stop it or set GATEHOUSE_DATA_DIR`;
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).toContain(refusal);
    expect(second.lines[0]).not.toContain("reading 'message'");
    // The live CP and its server are untouched.
    expect(isAlive(postgresPid)).toBe(true);
    expect((await request(`${first.url}/v1/health`)).status).toBe(200);

    await first.kill();
    // The kernel's parent-death signal (or the watchdog) stops the server: gone within a loose bound.
    await waitFor('the killed CP’s PostgreSQL to exit', () => Promise.resolve(!isAlive(postgresPid)), 30_000);

    const startedAt = Date.now();
    const again = await startControlPlane({ dataDir, env: embedded, adminPort: first.adminPort, clusterPort: first.clusterPort });
    started.push(again);
    await waitFor('/v1/health to answer 200', async () => (await request(`${again.url}/v1/health`)).status === 200, 60_000);
    console.log(`restart after kill -9 of the CP: healthy in ${Date.now() - startedAt} ms`);
    const read = await client(again.url, await login(again.url)).get('/v1/runtime-groups/default/services/before-kill');
    expect(read.status).toBe(200);
    expect((read.body as { host?: string }).host).toBe('before-kill.internal');
    await again.stop();
    expect(fs.existsSync(path.join(dataDir, 'control-plane.pid'))).toBe(false);
  });

  it('stops, at the next start, a PostgreSQL that a dead CP left running, and starts on the same data dir', async () => {
    const dataDir = tempDir('gatehouse-orphan-');
    const { holder, postgresPid } = await hold(dataDir, 'watchdog');
    started.push(holder);
    // What a CP killed together with its watchdog (or by an older Gatehouse) leaves: a live server, a stale lock.
    const watchdog = watchdogOf(postgresPid);
    if (watchdog === undefined) throw new Error(`no watchdog found for PostgreSQL pid ${postgresPid}`);
    process.kill(watchdog, 'SIGKILL');
    await holder.kill();
    await new Promise((r) => setTimeout(r, 1500));
    expect(isAlive(postgresPid)).toBe(true);

    const startedAt = Date.now();
    const cp = await startControlPlane({ dataDir, env: embedded });
    started.push(cp);
    console.log(`start over an orphaned PostgreSQL: ready in ${Date.now() - startedAt} ms`);
    expect(isAlive(postgresPid)).toBe(false);
    expect(cp.lines.some((l) => l.includes('"event":"postgres_orphan_stop"') && l.includes(`"pid":${postgresPid}`))).toBe(true);
    expect(cp.lines.some((l) => l.includes('"event":"data_dir_stale_lock"'))).toBe(true);
    expect((await request(`${cp.url}/v1/health`)).status).toBe(200);
    await cp.stop();
  });

  it('where setpriv is missing, the watchdog stops the server once its CP is killed', async () => {
    const dataDir = tempDir('gatehouse-watchdog-');
    const { holder, postgresPid } = await hold(dataDir, 'watchdog');
    started.push(holder);
    await holder.kill();
    await waitFor('the watchdog to stop PostgreSQL', () => Promise.resolve(!isAlive(postgresPid)), 40_000);
    // A fast shutdown: the next start finds a clean directory, no pid file to clear.
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
