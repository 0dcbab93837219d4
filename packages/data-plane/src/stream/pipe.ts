import type { Duplex } from 'node:stream';

/** Bytes a finished session carried, as Kong's stream log names them: `received` from the client, `sent` to it. */
export interface PipeResult {
  received: number;
  sent: number;
  /** Whether it ended because neither side sent anything for the idle timeout. */
  idle: boolean;
}

/**
 * Pipes a client connection and its upstream connection into each other
 * until both are closed: bytes both ways with backpressure; an end (FIN)
 * from one side is passed on to the other, which may still answer (half
 * close; both sockets are opened with `allowHalfOpen`); an error on either
 * closes both; no byte in either direction for `idleMs` closes both (nginx's
 * `proxy_timeout`). Resolves once both are closed.
 */
export function pipeSession(client: Duplex, upstream: Duplex, idleMs: number): Promise<PipeResult> {
  return new Promise((resolve) => {
    const result: PipeResult = { received: 0, sent: 0, idle: false };
    const timer = setTimeout(() => {
      result.idle = true;
      client.destroy();
      upstream.destroy();
    }, idleMs);
    client.on('data', (chunk: Buffer) => {
      result.received += chunk.length;
      timer.refresh();
    });
    upstream.on('data', (chunk: Buffer) => {
      result.sent += chunk.length;
      timer.refresh();
    });
    const fail = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', fail);
    let open = 2;
    const closed = (): void => {
      if (--open > 0) return;
      clearTimeout(timer);
      resolve(result);
    };
    // One side closed entirely: the other gets its end (it may still answer what it has, until it closes too or goes idle).
    const whenClosed = (side: Duplex, other: Duplex): void => {
      const onClose = (): void => {
        other.end();
        closed();
      };
      // A side that closed before the session began (the client gave up while the upstream was dialled) emits no 'close' again.
      if (side.closed) onClose();
      else side.once('close', onClose);
    };
    whenClosed(client, upstream);
    whenClosed(upstream, client);
    client.pipe(upstream);
    upstream.pipe(client);
  });
}
