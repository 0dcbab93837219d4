import http from 'node:http';

/** What the echo upstream answers: the request it received, as JSON. */
export interface EchoReply {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const MAX_BODY = 10 * 1024 * 1024;

/**
 * The stand-in for mockbin.org: answers any request with JSON
 * `{method, path, query, headers, body}`; `/status/{code}` answers that
 * status code (with the same JSON), and `/delay/{ms}` waits before answering.
 */
export function createEchoServer(): http.Server {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"body too large"}');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://echo.local');
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const all = url.searchParams.getAll(key);
        const [only] = all;
        query[key] = all.length === 1 && only !== undefined ? only : all;
      }
      const reply: EchoReply = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const statusMatch = /^\/status\/(\d{3})\/?$/.exec(url.pathname);
      const delayMatch = /^\/delay\/(\d{1,6})\/?$/.exec(url.pathname);
      const status = statusMatch ? Number(statusMatch[1]) : 200;
      const send = (): void => {
        const body = status === 204 || status === 304 ? '' : JSON.stringify(reply);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (delayMatch) setTimeout(send, Number(delayMatch[1]));
      else send();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
