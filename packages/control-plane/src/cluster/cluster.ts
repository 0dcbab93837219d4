import { thrownMessage } from '@gatehouse/protocol';
import { REVOCATION_CHANNEL } from '../certificates/revocation';
import { advertiseHost, createListenerIdentity } from '../certificates/cluster-ca';
import type { SecretKey } from '../certificates/key-encryption';
import { CONFIG_CHANNEL } from '../database/config-change';
import type { Db } from '../database/client';
import type { Logger } from '../logging';
import { SnapshotPublisher } from '../snapshot/publisher';
import { CLOSE } from './close-codes';
import { controlPlaneVersion } from './compatibility';
import { HeartbeatFlusher } from './heartbeats';
import { startClusterListener } from './listener';
import { PgListener } from './pg-listener';
import { SessionRegistry } from './registry';
import { DpSession } from './session';
import type { StatsHandler } from './stats';
import { HealthReports } from './health-reports';
import { deliverHealthOverride, HEALTH_OVERRIDE_CHANNEL, notifyHealthOverride } from './health-override';
import { deliverProxyCachePurge, notifyProxyCachePurge, PROXY_CACHE_PURGE_CHANNEL } from './proxy-cache-purge';
import type { HealthOverride } from '@gatehouse/protocol';

export interface ClusterOptions {
  db: Db;
  /** For the dedicated LISTEN connection. */
  databaseUrl: string;
  log: Logger;
  secretKey: SecretKey;
  listen: { host: string; port: number };
  /** GATEHOUSE_CLUSTER_ADVERTISE: its host goes into the listener certificate. */
  advertise: string;
  maxSnapshotBytes?: number;
  /** Stores stats batches (analytics); without it batches are not acked. */
  onStats?: StatsHandler;
  /** Overrides this CP's version (tests of compatibility). */
  cpVersion?: string;
}

/** The running cluster side of a CP process. */
export interface ClusterService {
  port: number;
  /** The group snapshots (also what the nodes API compares hashes with). */
  publisher: SnapshotPublisher;
  /** The cluster CA certificate DPs verify this listener with. */
  caCertPem: string;
  /** Target health as the DPs connected here last reported it. */
  health: HealthReports;
  /**
   * Sends a manual health override to every connected DP of the group, on
   * every CP process sharing the database (a NOTIFY each CP's LISTEN turns
   * into `health_override` messages to its own connections).
   */
  pushHealthOverride(runtimeGroupId: string, override: Omit<HealthOverride, 'type'>): Promise<void>;
  /** Sends a proxy-cache purge (one key, or all with null) to every connected DP of the group, on every CP process. */
  pushProxyCachePurge(runtimeGroupId: string, cacheKey: string | null): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the cluster side: the listener certificate (signed by the cluster
 * CA, created on first start), the mTLS WebSocket listener, the snapshot
 * publisher, batched heartbeats, and a LISTEN connection that turns every
 * committed config change (`gatehouse_config`) into a pushed snapshot and
 * every revocation (`gatehouse_cert_revoked`) into closed connections — on
 * every CP process sharing the database.
 */
export async function startCluster(opts: ClusterOptions): Promise<ClusterService> {
  const { db, log } = opts;
  const identity = await createListenerIdentity(db, opts.secretKey, advertiseHost(opts.advertise));
  const registry = new SessionRegistry(log);
  const publisher = new SnapshotPublisher(db, log, {
    isWatched: (id) => registry.hasGroup(id),
    maxSnapshotBytes: opts.maxSnapshotBytes,
    secretKey: opts.secretKey,
  });
  publisher.onSnapshot((snapshot) => registry.offer(snapshot));
  const heartbeats = new HeartbeatFlusher(db, log, (ids) => registry.reRegister(ids));
  heartbeats.start();

  // After a reconnect, notifications may have been missed: recheck config and revocations.
  const recheck = async (): Promise<void> => {
    publisher.changedAll();
    const ids = registry.all().map((s) => s.certificateId);
    if (ids.length === 0) return;
    const revoked = await db.dpCertificate.findMany({ where: { id: { in: ids }, revokedAt: { not: null } }, select: { id: true } });
    for (const r of revoked) registry.closeCertificate(r.id);
  };
  const pg = new PgListener(
    opts.databaseUrl,
    {
      [CONFIG_CHANNEL]: (id) => publisher.changed(id),
      [REVOCATION_CHANNEL]: (id) => registry.closeCertificate(id),
      [HEALTH_OVERRIDE_CHANNEL]: (payload) => deliverHealthOverride(registry, payload, log),
      [PROXY_CACHE_PURGE_CHANNEL]: (payload) => deliverProxyCachePurge(registry, payload, log),
    },
    log,
    () => void recheck().catch((err: unknown) => log.warn({ event: 'cluster_recheck_failed', err: thrownMessage(err) })),
  );
  await pg.start();

  const health = new HealthReports();
  const deps = {
    health,
    db,
    log,
    secretKey: opts.secretKey,
    cpVersion: opts.cpVersion ?? controlPlaneVersion(),
    publisher,
    registry,
    heartbeats,
    onStats: opts.onStats,
  };
  let listener;
  try {
    listener = await startClusterListener({
      host: opts.listen.host,
      port: opts.listen.port,
      identity,
      db,
      log,
      onConnection: (ws, dp, info) => new DpSession(ws, dp, info, deps),
    });
  } catch (err) {
    await pg.stop();
    await heartbeats.stop();
    throw err;
  }
  log.info({ event: 'cluster_listening', port: listener.port, names: identity.names }, `cluster listener on :${listener.port}`);
  return {
    port: listener.port,
    publisher,
    caCertPem: identity.caPem,
    health,
    async pushHealthOverride(runtimeGroupId, override) {
      await notifyHealthOverride(db, runtimeGroupId, override);
    },
    async pushProxyCachePurge(runtimeGroupId, cacheKey) {
      await notifyProxyCachePurge(db, runtimeGroupId, cacheKey);
    },
    async stop() {
      // No DP may connect to a CP on its way out: it would be cut again at once.
      listener.stopAccepting();
      for (const session of registry.all()) session.close(CLOSE.goingAway, 'control plane shutting down');
      await pg.stop();
      await heartbeats.stop();
      await listener.close();
    },
  };
}
