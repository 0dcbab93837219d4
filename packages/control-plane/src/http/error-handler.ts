import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging';
import { ApiError } from './api-error';
import { fromDatabaseError } from './database-errors';

/** Errors body-parser raises, by their `type`. */
function fromBodyParserError(err: { type?: unknown; status?: unknown; message?: string }): ApiError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError('invalid_json', `malformed JSON body: ${err.message ?? 'cannot parse'}`, { '@body': 'malformed JSON' });
    case 'entity.too.large':
      return new ApiError('payload_too_large', 'request body too large (the limit is 1 MiB)');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', err.message ?? 'unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('schema_violation', err.message ?? 'invalid request body', { '@body': 'unreadable' });
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return new ApiError('schema_violation', err.message ?? 'bad request', { '@request': err.message ?? 'bad request' });
  }
  return undefined;
}

/**
 * The last handler: every error becomes `{code,message,fields}` with the
 * catalog's status. Client errors are logged at debug; anything unexpected is
 * a bug, answered 500 `internal_error` and logged with its stack.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const apiError = err instanceof ApiError ? err : (fromDatabaseError(err) ?? fromBodyParserError(err ?? {}));
    if (res.headersSent) {
      log.error({ event: 'http_error_after_headers', path: req.originalUrl, err });
      res.end();
      return;
    }
    if (apiError) {
      if (apiError.status >= 500) log.error({ event: 'http_error', path: req.originalUrl, code: apiError.code, err: apiError.cause ?? apiError });
      else log.debug({ event: 'http_client_error', path: req.originalUrl, code: apiError.code, message: apiError.message });
      res.status(apiError.status).json(apiError.body());
      return;
    }
    log.error({ event: 'http_internal_error', method: req.method, path: req.originalUrl, err }, 'unhandled error');
    res.status(500).json({ code: 'internal_error', message: 'internal error' });
  };
}

/** 404 JSON for any path no route answered. */
export function notFoundHandler(): RequestHandler {
  return (req) => {
    throw new ApiError('not_found', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`);
  };
}
