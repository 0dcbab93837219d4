import type { Logger } from 'pino';
import type { OtherCpMessage } from '../snapshot/decode-frame';

/** A CP message other than a snapshot, narrowed by its `type`. */
export type MessageOf<T extends OtherCpMessage['type']> = Extract<OtherCpMessage, { type: T }>;

/**
 * The listeners other DP modules register on the cluster client: per CP
 * message type, and per (re)connection. Snapshots are not among the types:
 * they go only to the snapshot pipeline. A listener that throws is logged
 * and never disturbs the connection or the other listeners.
 */
export class ClusterListeners {
  private readonly byType = new Map<string, Set<(message: OtherCpMessage) => void>>();
  private readonly onConnect = new Set<() => void>();

  constructor(private readonly log: Logger) {}

  on<T extends OtherCpMessage['type']>(type: T, handler: (message: MessageOf<T>) => void): () => void {
    const set = this.byType.get(type) ?? new Set();
    this.byType.set(type, set);
    const wrapped = handler as (message: OtherCpMessage) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  onConnected(listener: () => void): () => void {
    this.onConnect.add(listener);
    return () => this.onConnect.delete(listener);
  }

  message(message: OtherCpMessage): void {
    for (const handler of this.byType.get(message.type) ?? []) this.safely(message.type, () => handler(message));
  }

  connected(): void {
    for (const listener of this.onConnect) this.safely('connected', listener);
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ event: 'cluster_listener_failed', listener: what, err }, `a ${what} listener failed: ${(err as Error).message}`);
    }
  }
}
