import type { WebSocket } from 'ws';
import { asError, thrownMessage, type CpMessage, type DpMessage } from '@gatehouse/protocol';
import type { DpIdentity } from '../certificates/authenticate';
import type { SecretKey } from '../certificates/key-encryption';
import type { Db } from '../database/client';
import type { Logger } from '../logging';
import { recordNodeHash, recordNodeIncompatibility, recordNodeRejection, registerNode } from '../nodes/node-store';
import type { SnapshotPublisher } from '../snapshot/publisher';
import type { Snapshot } from '../snapshot/snapshot';
import { CLOSE } from './close-codes';
import { incompatibility } from './compatibility';
import { ConnectionTimers } from './connection-timers';
import { decodeDpMessage } from './decode';
import type { HeartbeatFlusher } from './heartbeats';
import type { SessionRegistry } from './registry';
import { answerRenewal } from './renewal';
import type { StatsHandler } from './stats';
import type { HealthReports } from './health-reports';

/** What the upgrade request said about the node (query: node_id, node_hostname, node_version) and where it came from. */
export interface ConnectionInfo {
  nodeId: string;
  hostname: string;
  version: string;
  ip: string | null;
}

export interface SessionDeps {
  db: Db;
  log: Logger;
  secretKey: SecretKey;
  cpVersion: string;
  publisher: SnapshotPublisher;
  registry: SessionRegistry;
  heartbeats: HeartbeatFlusher;
  onStats?: StatsHandler;
  /** Where `health` messages go (target health per node). */
  health?: HealthReports;
}

/**
 * One connected, authenticated data plane. Its runtime group is the one its
 * certificate proved (never anything it says). Messages are handled strictly
 * in order. Until `hello` nothing is sent and the connection displaces no
 * other (registry.ts); at hello the node id must prove to be this group's, or
 * the connection is refused with 4403. An Incompatible node is sent no
 * config at all (only pongs); a snapshot goes out only when its hash differs
 * from both what the DP holds and what was last sent to it.
 */
export class DpSession {
  readonly runtimeGroupId: string;
  readonly nodeId: string;
  readonly certificateId: string;
  private hostname: string;
  private version: string;
  private plugins = new Set<string>();
  private dpHash: string | null = null;
  private lastSentHash: string | null = null;
  private incompatible: string | null = null;
  private registered = false;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly timers: ConnectionTimers;
  private readonly log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly identity: DpIdentity,
    private readonly info: ConnectionInfo,
    private readonly deps: SessionDeps,
  ) {
    this.runtimeGroupId = identity.runtimeGroupId;
    this.nodeId = info.nodeId;
    this.certificateId = identity.certificateId;
    this.hostname = info.hostname;
    this.version = info.version;
    this.log = deps.log.child({ node_id: info.nodeId, runtime_group_id: identity.runtimeGroupId });
    this.timers = new ConnectionTimers(identity.notAfter, {
      noHello: () => this.close(CLOSE.protocolError, 'no hello within 30 s'),
      idle: () => this.close(CLOSE.idle, 'no message for too long'),
      certificateExpired: () => this.close(CLOSE.certificateExpired, 'the client certificate has expired'),
    });
    ws.on('message', (data, isBinary) => {
      this.timers.activity();
      this.queue = this.queue
        .then(() => this.receive(data, isBinary))
        .catch((thrown: unknown) => {
          const err = asError(thrown);
          this.log.error({ event: 'cluster_message_failed', err }, err.message);
        });
    });
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    ws.on('error', (err) => this.log.warn({ event: 'cluster_socket_error', err: err.message }));
    deps.registry.add(this);
    this.log.info({ event: 'dp_connected', certificate_id: this.certificateId, ip: info.ip });
  }

  /** Offers the group's current snapshot; sends it only if this DP needs it and can take it. */
  offer(snapshot: Snapshot): void {
    if (!this.registered || this.closed || snapshot.runtimeGroupId !== this.runtimeGroupId) return;
    const reason = incompatibility(this.deps.cpVersion, this.version, this.plugins, snapshot.plugins);
    if (reason !== this.incompatible) {
      this.incompatible = reason;
      this.log.warn({ event: reason ? 'dp_incompatible' : 'dp_compatible', reason });
      void recordNodeIncompatibility(this.deps.db, this.nodeId, reason).catch((err: unknown) =>
        this.log.warn({ event: 'node_write_failed', err: thrownMessage(err) }),
      );
    }
    if (reason !== null || snapshot.hash === this.dpHash || snapshot.hash === this.lastSentHash) return;
    this.lastSentHash = snapshot.hash;
    this.ws.send(snapshot.frame, { binary: typeof snapshot.frame !== 'string' });
    this.log.info({ event: 'snapshot_sent', version: snapshot.version, hash: snapshot.hash, bytes: snapshot.frameBytes });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.log.info({ event: 'dp_disconnecting', code, reason });
    this.ws.close(code, reason);
    // A peer that never answers the close handshake is dropped anyway.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Re-creates the node row (it was deleted through the API while the node stayed connected). */
  async reRegister(): Promise<void> {
    if (!this.registered || this.closed) return;
    // Between the delete and now another group may have registered the id: that node keeps it.
    if (!(await this.register()))
      this.log.warn({ event: 'node_id_taken', certificate_id: this.certificateId }, 'this node id was deleted and registered by another runtime group');
  }

  /** Kong's manual health override, for this DP to apply (sent only once its hello is done). */
  pushHealthOverride(message: Extract<CpMessage, { type: 'health_override' }>): boolean {
    if (!this.registered || this.closed) return false;
    this.send(message);
    return true;
  }

  /** A message for this DP once its hello is done (a proxy-cache purge); false when it is not registered. */
  pushCpMessage(message: Extract<CpMessage, { type: 'proxy_cache_purge' }>): boolean {
    if (!this.registered || this.closed) return false;
    this.send(message);
    return true;
  }

  private send(message: CpMessage): void {
    if (!this.closed) this.ws.send(JSON.stringify(message));
  }

  private async receive(data: unknown, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    const decoded = decodeDpMessage(data, isBinary);
    if (!decoded.ok) {
      this.log.warn({ event: 'cluster_invalid_message', fields: decoded.fields });
      this.send({
        type: 'error',
        code: 'invalid_message',
        message: `invalid message: ${Object.entries(decoded.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}`,
      });
      return;
    }
    const msg = decoded.msg;
    if (!this.registered && msg.type !== 'hello') {
      this.send({ type: 'error', code: 'protocol_error', message: 'the first message must be hello' });
      this.close(CLOSE.protocolError, 'the first message must be hello');
      return;
    }
    await this.handle(msg);
  }

  private async handle(msg: DpMessage): Promise<void> {
    const { db } = this.deps;
    switch (msg.type) {
      case 'hello':
        return this.hello(msg);
      case 'ping':
        this.send({ type: 'pong' });
        if (msg.hash !== this.dpHash) {
          this.dpHash = msg.hash;
          await recordNodeHash(db, this.nodeId, msg.hash, false);
        } else this.deps.heartbeats.record(this.nodeId, Date.now());
        return;
      case 'applied':
        this.dpHash = msg.hash;
        this.log.info({ event: 'snapshot_applied', version: msg.version, hash: msg.hash });
        return recordNodeHash(db, this.nodeId, msg.hash, true);
      case 'rejected':
        this.log.warn({ event: 'snapshot_rejected', version: msg.version, hash: msg.hash, error: msg.error });
        return recordNodeRejection(db, this.nodeId, msg.hash, msg.error);
      case 'cert_renew':
        return this.renew(msg.csr);
      case 'stats':
        return this.stats(msg);
      case 'health':
        if (this.registered) this.deps.health?.record(this.runtimeGroupId, this.nodeId, this.hostname, msg.upstreams);
        return;
    }
  }

  private async hello(msg: Extract<DpMessage, { type: 'hello' }>): Promise<void> {
    if (this.registered) return;
    if (msg.node_id !== this.nodeId) {
      this.send({ type: 'error', code: 'protocol_error', message: 'hello.node_id differs from the node_id query parameter' });
      return this.close(CLOSE.protocolError, 'node_id mismatch');
    }
    this.hostname = msg.hostname;
    this.version = msg.version;
    this.plugins = new Set(msg.plugins);
    this.dpHash = msg.config_hash;
    const snapshot = await this.deps.publisher.current(this.runtimeGroupId);
    this.incompatible = incompatibility(this.deps.cpVersion, this.version, this.plugins, snapshot?.plugins ?? []);
    // The node id must be this group's: held here by none of another group, registered to none of another
    // group, and still free of other groups once registered (the registry is re-checked after the await).
    const holder = this.deps.registry.holder(this.nodeId);
    if (holder && holder.runtimeGroupId !== this.runtimeGroupId) return this.refuseNodeId('held by a live connection of another runtime group');
    if (!(await this.register())) return this.refuseNodeId('registered to another runtime group');
    // Closed while its hello was handled: it must not take the node id (onClose already left the registry).
    if (this.closed) return;
    if (!this.deps.registry.claim(this)) return this.refuseNodeId('held by a live connection of another runtime group');
    this.registered = true;
    this.timers.helloReceived();
    this.log.info({ event: 'dp_hello', hostname: this.hostname, version: this.version, config_hash: this.dpHash, incompatible: this.incompatible });
    if (this.incompatible) this.log.warn({ event: 'dp_incompatible', reason: this.incompatible });
    // Read again now that announcements reach this session: nothing committed meanwhile is missed.
    const latest = await this.deps.publisher.current(this.runtimeGroupId);
    if (latest) this.offer(latest);
  }

  /** The node id is another group's: refused (4403) and logged; whoever owns it is not touched. */
  private refuseNodeId(why: string): void {
    this.log.warn(
      { event: 'node_id_refused', reason: why, certificate_id: this.certificateId, ip: this.info.ip },
      `refused a connection claiming node ${this.nodeId}: ${why}`,
    );
    this.send({
      type: 'error',
      code: 'node_id_conflict',
      message: 'this node id is registered to another runtime group; give this data plane its own node id (or delete that node through the API first)',
    });
    this.close(CLOSE.forbidden, 'node id registered to another runtime group');
  }

  private register(): Promise<boolean> {
    return registerNode(this.deps.db, {
      id: this.nodeId,
      runtimeGroupId: this.runtimeGroupId,
      hostname: this.hostname,
      ip: this.info.ip,
      version: this.version,
      configHash: this.dpHash,
      incompatible: this.incompatible,
      certificateId: this.certificateId,
      certNotAfter: this.identity.notAfter,
    });
  }

  private async renew(csr: string): Promise<void> {
    const answer = await answerRenewal(this.deps.db, this.runtimeGroupId, this.certificateId, this.deps.secretKey, csr);
    if (answer.type === 'error') {
      this.log.warn({ event: 'certificate_renewal_refused', certificate_id: this.certificateId, code: answer.code, reason: answer.message });
      return this.send(answer);
    }
    this.send({ type: 'cert_issued', cert: answer.cert, not_after: answer.not_after });
    this.log.info({ event: 'certificate_renewed', old_certificate_id: this.certificateId, certificate_id: answer.certificateId, not_after: answer.not_after });
  }

  private async stats(msg: Extract<DpMessage, { type: 'stats' }>): Promise<void> {
    // Seam for analytics: without a handler nothing is stored, so nothing is acked and the DP keeps the batch.
    if (!this.deps.onStats) {
      this.log.debug({ event: 'stats_ignored', batch_id: msg.batch_id, buckets: msg.buckets.length });
      return;
    }
    const outcome = await this.deps.onStats({ runtimeGroupId: this.runtimeGroupId, nodeId: this.nodeId }, msg);
    if (typeof outcome === 'object') {
      this.log.warn({ event: 'stats_refused', batch_id: msg.batch_id, buckets: msg.buckets.length, reason: outcome.refused });
      return this.send({ type: 'stats_ack', batch_id: msg.batch_id, refused: outcome.refused });
    }
    this.send({ type: 'stats_ack', batch_id: msg.batch_id });
  }

  private onClose(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.clear();
    this.deps.registry.remove(this);
    // A newer connection of the node (which replaced this one) keeps its report.
    if (this.deps.registry.holder(this.nodeId) === undefined) this.deps.health?.forget(this.runtimeGroupId, this.nodeId);
    if (this.registered) void this.deps.heartbeats.flush();
    this.log.info({ event: 'dp_disconnected', code, reason });
  }
}
