import type { Request, RequestHandler } from 'express';
import { ApiError } from './api-error';

/**
 * The most of a refused request's body the CP still reads (and throws away)
 * after answering, so the client gets its answer cleanly and may reuse the
 * connection; a longer body, one of unknown length (chunked), or one whose
 * reading was abandoned midway closes the connection after the answer instead.
 */
export const DISCARD_LIMIT = 2 * 1024 * 1024;

// Requests whose body reading stopped midway: the rest is never read, so the connection must close.
const abandoned = new WeakSet<Request>();

/** The body length the request declares (Content-Length), or null when it declares none (chunked). */
function declaredLength(req: Request): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isFinite(length) ? length : null;
}

/** "16 KiB", "1 MiB": limits as the 413 message names them. */
function describeLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** 413 `payload_too_large` naming the limit. */
export function payloadTooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `request body too large (the limit is ${describeLimit(limit)})`);
}

/**
 * Reads the whole request body, at most `limit` bytes. A body that declares
 * more is refused 413 before a byte is read; one that sends more than it
 * declared (or declares nothing) is refused 413 as soon as it passes the limit,
 * and the rest is never read. A body cut off by the client is a 400.
 */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return Promise.reject(payloadTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onCut);
      req.off('close', onCut);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        req.pause();
        abandoned.add(req);
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onCut = (): void => {
      cleanup();
      reject(new ApiError('schema_violation', 'the request body was cut off', { '@body': 'unreadable' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onCut);
    req.on('close', onCut);
  });
}

/**
 * Whether the connection must close once `req` is answered: part of its body
 * is still to come and reading it is not worth it (see DISCARD_LIMIT).
 */
function mustClose(req: Request): boolean {
  if (req.complete) return false;
  if (abandoned.has(req)) return true;
  const declared = declaredLength(req);
  return declared === null || declared > DISCARD_LIMIT;
}

/**
 * Closes the connection after the answer to a request whose body was left
 * unread and is too long (or of unknown length) to throw away: without it,
 * Node reads and discards the rest on a kept-alive connection, so a
 * `Content-Length: 10000000000` request would hold the connection for as long
 * as its sender liked. Mount it first, so it covers every answer.
 */
export function closeAfterUnreadBody(): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      if (!mustClose(req)) return;
      const socket = req.socket;
      // The answer is already handed to the socket: end() sends it, then FIN; destroy once flushed.
      socket.end();
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
    });
    next();
  };
}
