import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import type { RequestSizeLimitingConfig } from './schema';

interface Prepared {
  maxBytes: number;
  requireContentLength: boolean;
}

const UNIT_BYTES = { megabytes: 2 ** 20, kilobytes: 2 ** 10, bytes: 1 } as const;
const TOO_LARGE = 'Request size limit exceeded';

function refuse(ctx: PluginContext): void {
  // A client waiting on 100-continue is told with 417, as Kong does.
  const expect = ctx.header('expect');
  ctx.error(expect?.trim().toLowerCase() === '100-continue' ? 417 : 413, TOO_LARGE);
}

/**
 * request-size-limiting (priority 951): refuses a body over the limit by its
 * Content-Length, or, for a chunked body (any body without one over HTTP/2),
 * by reading it.
 */
export const requestSizeLimitingHandler: PluginHandler<RequestSizeLimitingConfig, Prepared> = {
  name: 'request-size-limiting',
  priority: 951,
  prepare(conf) {
    return { maxBytes: conf.allowed_payload_size * UNIT_BYTES[conf.size_unit], requireContentLength: conf.require_content_length };
  },
  access(ctx, p) {
    const cl = ctx.header('content-length');
    if (cl !== undefined && /^\s*\d+\s*$/.test(cl)) {
      if (Number(cl) > p.maxBytes) refuse(ctx);
      return;
    }
    if (p.requireContentLength) {
      ctx.error(411, 'A valid Content-Length header is required');
      return;
    }
    // Over HTTP/1.1 a body without Content-Length is chunked; HTTP/2 has no Transfer-Encoding, so its body is read (as Kong does for every request).
    if (ctx.header('transfer-encoding') === undefined && ctx.httpVersion !== '2.0') return;
    return ctx.readBody().then((body) => {
      if (body.length > p.maxBytes) refuse(ctx);
    });
  },
};
