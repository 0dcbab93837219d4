/** The DP's connection to its control plane, as the cluster client reports it. */
export type ControlPlaneState = 'connecting' | 'connected' | 'disconnected';

/**
 * A small mutable record the cluster client updates and the status server
 * reads. Nothing else writes it. Starts `connecting` at start-up.
 */
export class NodeStatus {
  controlPlane: ControlPlaneState = 'connecting';
  /** Date.now() of the last state change. */
  controlPlaneSince = Date.now();
  /** The last connection error, kept until the next successful connect. */
  lastError: string | null = null;
  /** Date.now() of the last message (pong, snapshot, …) from the CP, or null. */
  lastContact: number | null = null;
  /** Date.now() when the process started. */
  readonly startedAt = Date.now();

  constructor(
    readonly nodeId: string,
    readonly version: string,
    readonly hostname: string,
  ) {}

  /** Records a state change; `error` explains a disconnection. */
  setControlPlane(state: ControlPlaneState, error?: string): void {
    if (state !== this.controlPlane) this.controlPlaneSince = Date.now();
    this.controlPlane = state;
    if (state === 'connected') {
      this.lastError = null;
      this.lastContact = Date.now();
    } else if (error !== undefined) {
      this.lastError = error;
    }
  }

  /** Records that the CP was heard from (any message). */
  touch(): void {
    this.lastContact = Date.now();
  }
}
