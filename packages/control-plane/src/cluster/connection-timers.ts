import { PING_INTERVAL_MS } from '@gatehouse/protocol';

const HELLO_TIMEOUT_MS = 30_000;
// Three missed pings and some slack: the DP is gone even if TCP has not noticed.
const IDLE_TIMEOUT_MS = 3 * PING_INTERVAL_MS + 15_000;
// setTimeout's ceiling (~24.8 days); a longer wait is re-armed in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TimerActions {
  noHello(): void;
  idle(): void;
  certificateExpired(): void;
}

/**
 * The deadlines of one DP connection: hello within 30 s, some message at
 * least every 45 s, and the end of the client certificate's validity (a
 * connection never outlives its certificate).
 */
export class ConnectionTimers {
  private hello: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly certNotAfter: Date,
    private readonly actions: TimerActions,
  ) {
    this.hello = setTimeout(() => actions.noHello(), HELLO_TIMEOUT_MS);
    this.armExpiry();
    this.activity();
  }

  helloReceived(): void {
    clearTimeout(this.hello);
  }

  /** A message arrived: the idle deadline starts over. */
  activity(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.actions.idle(), IDLE_TIMEOUT_MS);
  }

  clear(): void {
    clearTimeout(this.hello);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.expiry) clearTimeout(this.expiry);
  }

  private armExpiry(): void {
    const left = this.certNotAfter.getTime() - Date.now();
    this.expiry = setTimeout(
      () => (Date.now() > this.certNotAfter.getTime() ? this.actions.certificateExpired() : this.armExpiry()),
      Math.max(0, Math.min(left + 1, MAX_TIMER_MS)),
    );
  }
}
