import type { RequestHandler } from 'express';
import type { Logger } from '../logging';

/** One `http_request` log line per answered request: method, path (no query), status, duration. */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // originalUrl: routers rewrite req.url and req.path to their mount point.
    const path = req.originalUrl.split('?')[0];
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : path === '/v1/health' ? 'debug' : 'info';
      log[level]({ event: 'http_request', method: req.method, path, status: res.statusCode, duration_ms: Math.round(ms * 10) / 10 });
    });
    next();
  };
}
