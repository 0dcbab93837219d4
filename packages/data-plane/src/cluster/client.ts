import os from 'node:os';
import WebSocket, { type RawData } from 'ws';
import type { Logger } from 'pino';
import { PING_INTERVAL_MS, type DpMessage, thrownMessage } from '@gatehouse/protocol';
import type { AfterApplyStep } from '../snapshot/after-apply';
import type { DecodedFrame, OtherCpMessage } from '../snapshot/decode-frame';
import { FrameDecoder } from '../snapshot/frame-decoder';
import { SnapshotPipeline } from '../snapshot/pipeline';
import type { SnapshotEngine } from '../snapshot/serve';
import { Backoff } from './backoff';
import { dialControlPlane } from './dial';
import { ClusterListeners, type MessageOf } from './listeners';
import type { ClusterStatusSink } from './ports';
import { CertificateRenewer } from './renewer';
import { loadTlsMaterial, type ClusterTlsMaterial, type ClusterTlsPaths } from './tls-material';

/** The close code of a CP shutting down (docs/CLUSTER.md, close codes). */
const CP_GOING_AWAY = 1001;

/** Everything the cluster client needs; the DP's main.ts builds it from settings. */
export interface ClusterClientOptions {
  /** GATEHOUSE_CLUSTER_CONTROL_PLANE: `host:port` of the CP's cluster listener. */
  controlPlane: string;
  /** GATEHOUSE_CLUSTER_SERVER_NAME: the name checked on the CP certificate (default: the host above). */
  serverName?: string;
  tls: ClusterTlsPaths;
  nodeId: string;
  version: string;
  hostname?: string;
  /** The plugins this DP can run, sent in `hello` so the CP can tell an incompatible node. */
  plugins?: () => string[];
  /** Applies snapshots; its `current()` hash goes into `hello` and `ping`. */
  engine: SnapshotEngine;
  /** What must be done, in order, after a snapshot serves and before `applied` is sent (snapshot/after-apply.ts). */
  afterApply: readonly AfterApplyStep[];
  /** Where the connection state shown on /status goes (the DP's NodeStatus). */
  status: ClusterStatusSink;
  log: Logger;
  pingIntervalMs?: number;
  backoff?: Backoff;
}

/** A connection that has been silent this many ping intervals is treated as dead (half-open TCP). */
const SILENT_INTERVALS = 3;

/**
 * The data plane's connection to the control plane: mTLS WebSocket to
 * `wss://<cp>/v1/outlet`, `hello` with the cached hash, frames decoded in
 * arrival order (snapshot/frame-decoder.ts) and snapshots handed to the
 * snapshot pipeline (snapshot/pipeline.ts), `ping` every 10 s, reconnection
 * with jittered backoff, and automatic certificate renewal. It never touches the proxy: losing or
 * replacing the connection leaves the serving config as it is.
 *
 * Seam for other DP modules (analytics): `send()` a message while connected,
 * `on(type, handler)` for CP messages such as `stats_ack`, and
 * `onConnected()` to flush anything unsent after each (re)connection.
 */
export class ClusterClient {
  private socket: WebSocket | null = null;
  private stopped = false;
  private reconnectNow = false;
  /** True between `open` and `close` of the current socket. */
  private open = false;
  /** Date.now() of the last frame from the CP on the current connection. */
  private lastMessageAt = 0;
  /** Set when this side ends the connection, so the log and /status say why. */
  private closeReason: string | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private frames: Promise<void> = Promise.resolve();
  private readonly snapshots: SnapshotPipeline;
  private readonly decoder: FrameDecoder;
  private readonly listeners: ClusterListeners;
  private readonly renewer: CertificateRenewer;
  private readonly backoff: Backoff;
  private readonly pingIntervalMs: number;

  constructor(private readonly opts: ClusterClientOptions) {
    this.renewer = new CertificateRenewer(opts.tls.dpDir, opts.log);
    this.listeners = new ClusterListeners(opts.log);
    this.backoff = opts.backoff ?? new Backoff();
    this.pingIntervalMs = opts.pingIntervalMs ?? PING_INTERVAL_MS;
    this.decoder = new FrameDecoder((error) => opts.log.warn({ event: 'snapshot_thread_failed', error }, `snapshot thread failed, decoding inline: ${error}`));
    // Answers go on whichever connection is open when the snapshot is done.
    this.snapshots = new SnapshotPipeline({ engine: opts.engine, afterApply: opts.afterApply, log: opts.log, answer: (outcome) => this.send(outcome) });
  }

  /** Starts connecting; failures are retried forever until `stop()`. */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection and stops retrying; resolves once the socket is closed (at most ~2 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.decoder.close();
    const socket = this.socket;
    if (!socket) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(1001, 'data plane stopping');
    const timer = setTimeout(() => socket.terminate(), 2000);
    await closed;
    clearTimeout(timer);
  }

  /** True while a connection to the CP is open. */
  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN && this.open;
  }

  /** Sends a message on the open connection; answers false (nothing sent) when not connected. */
  send(message: DpMessage): boolean {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** Calls `handler` for every CP message of `type`; answers a function that unsubscribes. */
  on<T extends OtherCpMessage['type']>(type: T, handler: (message: MessageOf<T>) => void): () => void {
    return this.listeners.on(type, handler);
  }

  /** Calls `listener` after each successful connection (after `hello` is sent). */
  onConnected(listener: () => void): () => void {
    return this.listeners.onConnected(listener);
  }

  private connect(): void {
    if (this.stopped) return;
    const { opts } = this;
    let material: ClusterTlsMaterial;
    try {
      material = loadTlsMaterial(opts.tls);
    } catch (err) {
      const error = (err as Error).message;
      opts.status.setControlPlane('disconnected', error);
      opts.log.error({ event: 'cluster_certificate_unreadable', error }, error);
      this.scheduleReconnect();
      return;
    }
    const socket = dialControlPlane({ ...opts, hostname: this.hostname }, material);
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket, material));
    socket.on('message', (data: RawData, isBinary: boolean) => this.onFrame(socket, data, isBinary));
    let socketError: string | null = null;
    socket.on('error', (err: Error) => {
      socketError = err.message;
    });
    socket.on('close', (code: number, reason: Buffer) => this.onClose(socket, code, reason.toString('utf8') || socketError || `connection closed (${code})`));
  }

  private get hostname(): string {
    return this.opts.hostname ?? os.hostname();
  }

  private onOpen(socket: WebSocket, material: ClusterTlsMaterial): void {
    const { status, log, engine } = this.opts;
    this.backoff.reset();
    this.open = true;
    this.lastMessageAt = Date.now();
    status.setControlPlane('connected');
    log.info(
      { event: 'cluster_connected', control_plane: this.opts.controlPlane, cert_not_after: material.notAfter.toISOString() },
      `connected to the control plane at ${this.opts.controlPlane}`,
    );
    this.send({
      type: 'hello',
      node_id: this.opts.nodeId,
      hostname: this.hostname,
      version: this.opts.version,
      config_hash: engine.current()?.hash ?? null,
      plugins: this.opts.plugins?.() ?? [],
    });
    this.pingTimer = setInterval(() => this.tick(socket, material), this.pingIntervalMs);
    void this.renewer.check(material, (m) => this.send(m));
    this.listeners.connected();
  }

  private tick(socket: WebSocket, material: ClusterTlsMaterial): void {
    if (Date.now() - this.lastMessageAt > SILENT_INTERVALS * this.pingIntervalMs) {
      this.closeReason = 'the control plane stopped answering';
      socket.terminate();
      return;
    }
    this.send({ type: 'ping', hash: this.opts.engine.current()?.hash ?? null });
    void this.renewer.check(material, (m) => this.send(m));
  }

  private onFrame(socket: WebSocket, data: RawData, isBinary: boolean): void {
    this.lastMessageAt = Date.now();
    this.opts.status.touch();
    // Decoding a gzip frame is asynchronous: chain it so frames are handled in arrival order,
    // never letting a small later snapshot overtake a large earlier one.
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    this.frames = this.frames
      .then(() => this.decoder.decode(bytes, isBinary))
      .then((frame) => this.dispatch(socket, frame))
      // A failure must not leave the chain rejected: every later frame would be skipped.
      .catch((err: unknown) => this.opts.log.error({ event: 'cluster_frame_failed', err }, thrownMessage(err)));
  }

  private dispatch(socket: WebSocket, frame: DecodedFrame): void {
    const { log } = this.opts;
    if (frame.kind === 'error') {
      log.warn({ event: 'cluster_bad_message', error: frame.error }, `ignoring a message from the control plane: ${frame.error}`);
      return;
    }
    // In arrival order, newest wins, so the last snapshot sent is the one left serving.
    if (frame.kind !== 'message') {
      void this.snapshots.push(frame);
      return;
    }
    const { message } = frame;
    if (message.type === 'cert_issued') {
      void this.renewer.onIssued(message.cert).then((installed) => {
        if (!installed) return;
        this.reconnectNow = true;
        socket.close(1000, 'certificate renewed');
      });
    } else if (message.type === 'error') {
      log.warn({ event: 'cluster_error', code: message.code, error: message.message }, `control plane: ${message.message}`);
      this.renewer.onError(message.code, message.message);
    }
    this.listeners.message(message);
  }

  /** `reason` is the CP's close reason, else the socket error, else the close code. */
  private onClose(socket: WebSocket, code: number, closeReason: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    const reason = this.closeReason ?? closeReason;
    this.closeReason = null;
    clearInterval(this.pingTimer);
    const { status, log } = this.opts;
    const wasConnected = this.open;
    this.open = false;
    // A CP shutting down (a rolling restart) closes with 1001: another CP behind the same address
    // takes the connection at once; if none answers, the next attempts back off as usual.
    if (code === CP_GOING_AWAY && wasConnected) this.reconnectNow = true;
    // A renewal closes on purpose: reconnecting at once is not an error to show on /status.
    if (this.reconnectNow) status.setControlPlane('connecting');
    else status.setControlPlane('disconnected', reason);
    this.renewer.onDisconnect();
    log.info({ event: 'cluster_disconnected', code, reason, was_connected: wasConnected }, `control plane connection closed: ${reason}`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.reconnectNow ? 0 : this.backoff.next();
    this.reconnectNow = false;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
