import type http from 'node:http';
import type { Http2Server } from 'node:http2';
import type net from 'node:net';

/** The HTTP/2 connection preface (RFC 9113 §3.4): what a client with prior knowledge sends first. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Hands each connection `listening` accepts to the HTTP/2 server when it
 * opens with the HTTP/2 preface (cleartext HTTP/2 with prior knowledge) and
 * to the HTTP/1.1 server otherwise, as nginx does on a plain `http2`
 * listener. The bytes read to decide are put back before the handover.
 * A connection that sends nothing within `firstBytesMs` is closed (the
 * HTTP/1.1 header timeout starts only once it is handed over).
 */
export function dispatchByPreface(listening: net.Server, http1: http.Server, http2: Http2Server, firstBytesMs: number): void {
  listening.on('connection', (socket: net.Socket) => {
    let seen: Buffer | null = null;
    const onError = (): void => {
      socket.destroy();
    };
    const onTimeout = (): void => {
      socket.destroy();
    };
    socket.on('error', onError);
    socket.setTimeout(firstBytesMs, onTimeout);
    const check = (): void => {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) return void socket.once('readable', check);
      seen = seen === null ? chunk : Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const matches = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      // A prefix of the preface so far: wait for the rest before deciding.
      if (matches && n < PREFACE.length) return void socket.once('readable', check);
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('error', onError);
      socket.unshift(seen);
      (matches ? http2 : http1).emit('connection', socket);
    };
    socket.once('readable', check);
  });
}
