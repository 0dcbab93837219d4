import { thrownMessage } from '@gatehouse/protocol';
import pg from 'pg';
import type { Logger } from '../logging';

export type NotificationHandler = (payload: string) => void;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * A dedicated PostgreSQL connection that LISTENs on a few channels and hands
 * each notification to its handler. If the connection drops it is re-made
 * with growing delays, and `onReconnect` runs once listening again, because
 * notifications sent while disconnected are lost and callers must recheck.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private everConnected = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: Readonly<Record<string, NotificationHandler>>,
    private readonly log: Logger,
    private readonly onReconnect: () => void,
  ) {}

  /** Connects and listens; resolves once listening (the first time, failures reject). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (msg) => {
      const handler = this.handlers[msg.channel];
      if (handler && msg.payload !== undefined) handler(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of Object.keys(this.handlers)) await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    if (this.everConnected) {
      this.log.info({ event: 'pg_listener_reconnected', channels: Object.keys(this.handlers) });
      this.onReconnect();
    }
    this.everConnected = true;
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.log.warn({ event: 'pg_listener_lost', err: err.message }, 'lost the LISTEN connection; reconnecting');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = this.retryMs * (0.5 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.log.warn({ event: 'pg_listener_retry_failed', err: thrownMessage(err) });
        this.scheduleRetry();
      });
    }, delay);
  }
}
