import type { GatewayConfig } from '@gatehouse/protocol';

/** Identifies the config a data plane serves. */
export interface ConfigMeta {
  version: number;
  hash: string;
}

/**
 * What the cluster client needs from the proxy engine: compile-and-swap a
 * validated config, and tell which config is serving. `apply` throws a
 * readable error when the config cannot be compiled, leaving the old one live.
 * `applyInSlices`, when present, is used instead: the same, spread over turns
 * of the event loop; it resolves `superseded` (nothing swapped) when
 * `keepGoing` answered false between slices or a newer apply started.
 */
export interface ClusterEngine {
  apply(config: GatewayConfig, meta: ConfigMeta): void;
  applyInSlices?(config: GatewayConfig, meta: ConfigMeta, options?: { keepGoing?: () => boolean }): Promise<'applied' | 'superseded'>;
  current(): ConfigMeta | null;
}

/**
 * Persists an applied snapshot in GATEHOUSE_DP_DIR (the DP's ConfigCache).
 * `config` is the config exactly as received, so that it still hashes to
 * `hash` when a restart serves it before the CP answers; or `json` is the
 * file's content already serialized off the event loop
 * (`JSON.stringify({version, hash, config})`, the config as received).
 * `save` resolves false (having logged why) when the write failed; it never rejects.
 */
export interface ClusterConfigCache {
  save(entry: { version: number; hash: string; config: GatewayConfig } | { version: number; hash: string; json: string }): Promise<boolean>;
}

/**
 * Where the client reports the CP connection state that `/status` shows (the
 * DP's NodeStatus). The client only writes it; the status server only reads.
 */
export interface ClusterStatusSink {
  /** A state change; `error` says why a connection failed or ended. */
  setControlPlane(state: 'connecting' | 'connected' | 'disconnected', error?: string): void;
  /** A message arrived from the CP. */
  touch(): void;
}
