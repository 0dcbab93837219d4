import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { patModule } from './auth/pat-routes';
import { authModule } from './auth/routes';
import { bootstrap } from './bootstrap';
import type { CpSettings } from './config/settings';
import { gatewayEntitiesModule } from './crud/router';
import { createDb } from './database/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded';
import { migrate } from './database/migrate';
import { createApp } from './http/app';
import type { AppContext, AppModule } from './http/module';
import { staticUiModule } from './http/static-ui';
import { launchScriptModule } from './launch-script/routes';
import type { Logger } from './logging';
import { runtimeGroupsModule } from './runtime-groups/routes';
import { loadSecretKey } from './secret-key';
import { serviceHubModules } from './service-hub';
import { startCluster, type ClusterService } from './cluster/cluster';
import { dpCertificatesModule } from './certificates/routes';
import { nodesModule } from './nodes/routes';
import { upstreamHealthModule } from './upstream-health/routes';
import { proxyCacheModule } from './proxy-cache/routes';
import { declarativeModule } from './declarative/module';
import { analyticsModule } from './analytics/routes';
import { ingestStatsBatch } from './analytics/ingest';
import { statsLimits } from './analytics/stats-limits';
import { startRetention } from './analytics/retention';
import { gracefulCloser } from './graceful-close';
import { useEntityKeySecret } from './certificates/entity-keys';
import { secretsModule } from './secrets/routes';

/** A running control plane. */
export interface ControlPlane {
  adminPort: number;
  stop(): Promise<void>;
}

/**
 * The HTTP app's modules, in mount order. MOUNT POINT: a feature with HTTP
 * routes (certificates, nodes, launch script, analytics, the web UI) adds its
 * AppModule (http/module.ts) to this list.
 */
function appModules(cluster: ClusterService): AppModule[] {
  return [
    authModule,
    patModule,
    runtimeGroupsModule,
    secretsModule,
    analyticsModule,
    gatewayEntitiesModule,
    declarativeModule,
    ...serviceHubModules,
    dpCertificatesModule,
    nodesModule(cluster.publisher),
    upstreamHealthModule(cluster),
    proxyCacheModule(cluster),
    launchScriptModule,
    staticUiModule(),
  ];
}

/** Listens, turning EADDRINUSE and friends into a rejected promise with a clear message. */
function listen(server: http.Server, address: { host: string; port: number }, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new Error(`${setting}: cannot listen on ${address.host}:${address.port}: ${why}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
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
  const db = createDb(databaseUrl);
  let cluster: ClusterService | undefined;
  try {
    const secretKey = loadSecretKey(settings);
    useEntityKeySecret(secretKey);
    await migrate(databaseUrl, log);
    await bootstrap(db, settings, log);
    const ctx: AppContext = { db, log, settings, secretKey };
    const stats = statsLimits(settings);
    cluster = await startCluster({
      db,
      databaseUrl,
      log,
      secretKey,
      listen: settings.GATEHOUSE_CLUSTER_LISTEN,
      advertise: settings.GATEHOUSE_CLUSTER_ADVERTISE,
      onStats: (source, batch) => ingestStatsBatch(db, source.runtimeGroupId, source.nodeId, batch, stats),
    });
    const retention = startRetention(
      db,
      { minuteDays: settings.GATEHOUSE_ANALYTICS_MINUTE_RETENTION_DAYS, hourDays: settings.GATEHOUSE_ANALYTICS_HOUR_RETENTION_DAYS },
      log,
    );
    const admin = http.createServer(createApp(ctx, appModules(cluster)));
    const adminCloser = gracefulCloser(admin);
    const adminPort = await listen(admin, settings.GATEHOUSE_ADMIN_LISTEN, 'GATEHOUSE_ADMIN_LISTEN');
    log.info({ event: 'cp_ready', admin_port: adminPort, cluster_port: cluster.port }, `control plane ready on :${adminPort}`);
    const running = cluster;
    return {
      adminPort,
      // A rolling restart (docs/CLUSTER.md): both listeners stop accepting at once, so clients and DPs
      // reach another CP behind the same address; DPs are told 1001 and reconnect at once; API calls
      // in flight finish (up to SHUTDOWN_GRACE_MS) before the database goes.
      async stop() {
        retention.stop();
        const drained = adminCloser.close();
        await running.stop();
        const { inFlight, cut } = await drained;
        log.info({ event: 'admin_drained', in_flight: inFlight, cut }, `admin API closed: ${inFlight - cut} call(s) in flight finished, ${cut} cut`);
        await db.$disconnect();
        if (embedded) await embedded.stop();
      },
    };
  } catch (err) {
    await cluster?.stop().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    if (embedded) await embedded.stop().catch(() => undefined);
    throw err;
  }
}
