import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import { JSON_CONTENT_TYPE } from '../responses';
import type { RequestTerminationConfig } from './schema';

interface Prepared {
  status: number;
  message: string | null;
  body: string | null;
  contentType: string;
  echo: boolean;
  /** `trigger` as a header name (lower-case) and as a query argument name. */
  trigger: { header: string; query: string } | null;
}

/** What `echo` sends back: the request as the gateway received it. */
function echoBody(ctx: PluginContext, p: Prepared, body: Buffer): object {
  return {
    message: p.message ?? undefined,
    request: {
      scheme: ctx.scheme,
      host: ctx.host,
      headers: ctx.headers,
      query: Object.fromEntries(ctx.query()),
      raw_body: body.toString('utf8'),
      method: ctx.method,
      path: ctx.path,
    },
    matched_route: ctx.routeId === null ? null : { id: ctx.routeId },
    matched_service: ctx.serviceId === null ? null : { id: ctx.serviceId },
  };
}

/**
 * request-termination (priority 2): answers with `status_code` and a
 * `message`, a raw `body`, or (`echo`) the request itself; with `trigger`,
 * only requests carrying that header or query argument.
 */
export const requestTerminationHandler: PluginHandler<RequestTerminationConfig, Prepared> = {
  name: 'request-termination',
  priority: 2,
  prepare(conf) {
    return {
      status: conf.status_code,
      message: conf.message,
      body: conf.body,
      contentType: conf.content_type ?? JSON_CONTENT_TYPE,
      echo: conf.echo,
      trigger: conf.trigger === null ? null : { header: conf.trigger.toLowerCase(), query: conf.trigger },
    };
  },
  access(ctx, p) {
    if (p.trigger !== null && ctx.header(p.trigger.header) === undefined && !ctx.query().has(p.trigger.query)) return;
    if (p.echo) return ctx.readBody().then((body) => ctx.exit(p.status, echoBody(ctx, p, body)));
    if (p.body !== null) ctx.exit(p.status, p.body, { 'content-type': p.contentType });
    else ctx.error(p.status, p.message ?? undefined);
  },
};
