import type http from 'node:http';

/** How long a stopping CP lets API calls in flight finish (the default timeout of Kong's `kong quit`). */
export const SHUTDOWN_GRACE_MS = 10_000;

/** What a graceful close found: calls in flight when it began, and those still running when the grace ran out (cut). */
export interface DrainResult {
  inFlight: number;
  cut: number;
}

/**
 * Tracks an HTTP server's requests in flight, and closes it gracefully:
 * `close()` stops accepting at once, lets every request in flight finish (up
 * to `graceMs`) with `Connection: close` on its answer, closes keep-alive
 * connections as soon as they are idle (so a client's next call opens a
 * connection to another CP behind the same address), and cuts what still
 * runs when the grace is over. Call right after creating the server.
 */
export function gracefulCloser(server: http.Server, graceMs = SHUTDOWN_GRACE_MS): { close(): Promise<DrainResult> } {
  const running = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    running.add(res);
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      running.delete(res);
      // The connection this call used may be idle now: close it before the client reuses it.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    close() {
      closing = true;
      const inFlight = running.size;
      for (const res of running) if (!res.headersSent) res.setHeader('connection', 'close');
      return new Promise<DrainResult>((resolve) => {
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          clearInterval(poll);
          clearTimeout(deadline);
          const cut = running.size;
          server.closeAllConnections();
          resolve({ inFlight, cut });
        };
        // Stops listening at once; the callback runs once every connection has ended.
        server.close(() => finish());
        server.closeIdleConnections();
        const poll = setInterval(() => {
          server.closeIdleConnections();
          if (running.size === 0) finish();
        }, 50);
        const deadline = setTimeout(finish, graceMs);
      });
    },
  };
}
