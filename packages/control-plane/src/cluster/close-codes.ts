/**
 * WebSocket close codes the CP uses (4000–4999 is the application range; the
 * last three digits echo the matching HTTP status so they read naturally).
 */
export const CLOSE = {
  /** The DP broke the protocol (no hello first, wrong node id). */
  protocolError: 4400,
  /** The client certificate expired while connected. */
  certificateExpired: 4401,
  /** The client certificate was revoked. */
  certificateRevoked: 4403,
  /** Silent for too long (no ping). */
  idle: 4408,
  /** Another connection of the same node replaced this one, or the node id belongs elsewhere. */
  conflict: 4409,
  /** The CP is shutting down. */
  goingAway: 1001,
} as const;
