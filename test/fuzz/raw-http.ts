import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What came back on a raw connection: the bytes, and whether the server closed it. */
export interface RawReply {
  text: string;
  /** The status code of the first response, or 0 when none came. */
  status: number;
  closedByServer: boolean;
  /** Milliseconds until the server answered or closed. */
  elapsedMs: number;
}

/** True once `text` holds one whole response (Content-Length or chunked), so a kept-alive connection need not be waited out. */
function responseComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = text.slice(0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return text.length - end - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return text.endsWith('\r\n0\r\n\r\n');
  return false;
}

/**
 * Writes `chunks` on a fresh TCP connection (with `gapMs` between them, for
 * slow clients) and collects what comes back until the server closes the
 * connection, one whole response has arrived, or `waitMs` passes. Never rejects: a reset is a kind of answer.
 */
export function rawExchange(port: number, chunks: (string | Buffer)[], opts: { waitMs?: number; gapMs?: number } = {}): Promise<RawReply> {
  const waitMs = opts.waitMs ?? 3000;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    let answeredAt = 0;
    const finish = (closedByServer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ text, status, closedByServer, elapsedMs: (answeredAt || Date.now()) - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d: Buffer) => {
      if (!answeredAt) answeredAt = Date.now();
      text += d.toString('latin1');
      if (responseComplete(text)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    const writeChunks = async (): Promise<void> => {
      for (const [i, chunk] of chunks.entries()) {
        if (settled || socket.destroyed) return;
        if (i > 0 && opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        if (!socket.destroyed) socket.write(chunk);
      }
    };
    socket.on('connect', () => void writeChunks());
  });
}

/** An upstream that records every request it receives (method, path, headers, body) and answers 200 JSON. */
export async function startRecordingUpstream(): Promise<{
  port: number;
  seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}> {
  const seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const payload = JSON.stringify({ path: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
