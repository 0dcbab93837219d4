/**
 * WebSocket close codes the CP uses (4000–4999 is the application range; the
 * last three digits echo the matching HTTP status so they read naturally).
 * docs/CLUSTER.md lists them with when each is sent.
 */
export const CLOSE = {
  /** The DP broke the protocol (no hello first, wrong node id). */
  protocolError: 4400,
  /** The client certificate expired while connected. */
  certificateExpired: 4401,
  /**
   * Refused: the client certificate was revoked (or an ancestor it was renewed
   * from was), or it claimed a node id registered to another runtime group.
   */
  forbidden: 4403,
  /** Silent for too long (no ping). */
  idle: 4408,
  /** Replaced, after its hello, by a newer connection of the same node id and runtime group. */
  replaced: 4409,
  /** The CP is shutting down. */
  goingAway: 1001,
} as const;
