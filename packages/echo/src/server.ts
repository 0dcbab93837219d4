import http from 'node:http';

/** What the echo upstream answers: the request it received, as JSON. */
export interface EchoReply {
  method: string;
  /** The path, dot segments resolved (WHATWG URL parsing). */
  path: string;
  /** The request target exactly as received. */
  url: string;
  query: Record<string, string | string[]>;
  /** The headers as Node folds them (repeated lines joined, or all but the first dropped). */
  headers: http.IncomingHttpHeaders;
  /** Every header line as received: name, value, name, value, … */
  rawHeaders: string[];
  body: string;
}

const MAX_BODY = 10 * 1024 * 1024;

/**
 * The stand-in for mockbin.org: answers any request with JSON
 * `{method, path, url, query, headers, rawHeaders, body}`; `/status/{code}`
 * answers that status code (with the same JSON), `/delay/{ms}` waits before
 * answering, and `/response-headers` (as httpbin's) sends each query
 * argument back as a response header, one line per value.
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
        url: req.url ?? '/',
        query,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const statusMatch = /^\/status\/(\d{3})\/?$/.exec(url.pathname);
      const delayMatch = /^\/delay\/(\d{1,6})\/?$/.exec(url.pathname);
      const status = statusMatch ? Number(statusMatch[1]) : 200;
      const send = (): void => {
        const body = status === 204 || status === 304 ? '' : JSON.stringify(reply);
        const head: [string, string][] = [['content-type', 'application/json']];
        if (url.pathname === '/response-headers') for (const [name, value] of url.searchParams) head.push([name, value]);
        head.push(['content-length', String(Buffer.byteLength(body))]);
        res.writeHead(status, head.flat());
        res.end(body);
      };
      if (delayMatch) setTimeout(send, Number(delayMatch[1]));
      else send();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
