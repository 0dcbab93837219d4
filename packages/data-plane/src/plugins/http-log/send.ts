import http from 'node:http';
import https from 'node:https';
import type { HttpLogConfig } from './schema';

/**
 * Posts one batch to the endpoint: a single entry as it is when
 * `max_batch_size` is 1, else a JSON array (as Kong). Resolves true on a
 * status below 400; user info in the URL becomes Basic authorization.
 */
export function batchSender(conf: HttpLogConfig): (entries: string[]) => Promise<boolean> {
  const url = new URL(conf.http_endpoint);
  const secure = url.protocol === 'https:';
  const agent = conf.keepalive > 0 ? new (secure ? https.Agent : http.Agent)({ keepAlive: true, keepAliveMsecs: 1000, timeout: conf.keepalive }) : undefined;
  const headers: Record<string, string> = { 'content-type': conf.content_type, ...(conf.headers ?? {}) };
  if (url.username !== '' || url.password !== '')
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const path = `${url.pathname}${url.search}`;
  const single = conf.queue.max_batch_size === 1;
  return (entries) =>
    new Promise<boolean>((resolve, reject) => {
      const body = single && entries.length === 1 ? (entries[0] ?? '') : `[${entries.join(',')}]`;
      const req = (secure ? https : http).request(
        {
          host: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
          method: conf.method,
          path,
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: conf.timeout,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve((res.statusCode ?? 500) < 400));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${conf.timeout} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}
