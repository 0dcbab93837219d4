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
