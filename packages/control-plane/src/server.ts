import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CpSettings } from './config/settings';
import type { Logger } from './logging';
import { createDb } from './database/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded';
import { migrate } from './database/migrate';

/** A running control plane. */
export interface ControlPlane {
  adminPort: number;
  stop(): Promise<void>;
}

/**
 * Starts the control plane: the database (embedded unless DATABASE_URL is
 * set), migrations, bootstrap, the admin API and the cluster listener.
 */
export async function startControlPlane(settings: CpSettings, log: Logger): Promise<ControlPlane> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = settings.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(settings.GATEHOUSE_DATA_DIR, log);
    databaseUrl = embedded.url;
  }
  try {
    await migrate(databaseUrl, log);
    const db = createDb(databaseUrl);
    const admin = http.createServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((resolve) => admin.listen(settings.GATEHOUSE_ADMIN_LISTEN.port, settings.GATEHOUSE_ADMIN_LISTEN.host, resolve));
    const adminPort = (admin.address() as AddressInfo).port;
    log.info({ event: 'cp_ready', admin_port: adminPort }, `control plane ready on :${adminPort}`);
    return {
      adminPort,
      async stop() {
        admin.closeAllConnections();
        await new Promise<void>((resolve) => admin.close(() => resolve()));
        await db.$disconnect();
        if (embedded) await embedded.stop();
      },
    };
  } catch (err) {
    if (embedded) await embedded.stop().catch(() => undefined);
    throw err;
  }
}
